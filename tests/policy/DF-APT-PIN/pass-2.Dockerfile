# apt-get's simulate options (man apt-get): nothing is installed, so nothing is left unpinned in the image.
FROM debian:12-slim
RUN apt-get update && apt-get install -s curl
RUN apt-get install --simulate curl
RUN apt-get install --just-print curl
RUN apt-get --dry-run install curl
RUN apt-get install --recon curl
RUN apt-get install --no-act curl
RUN apt-get -qs install curl
RUN apt-get -o APT::Get::Simulate=true install curl
