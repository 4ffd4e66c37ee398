# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command"]
RUN curl -UseBasicParsing https://example.com/a | Out-File a.txt
