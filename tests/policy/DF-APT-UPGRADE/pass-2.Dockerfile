# A simulated upgrade (apt-get -s) only prints what would change.
FROM debian:12-slim
RUN apt-get update && apt-get -s upgrade
RUN apt-get dist-upgrade --simulate
RUN apt-get --just-print full-upgrade
