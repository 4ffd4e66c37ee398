FROM debian:12-slim
ADD app/ /opt/app/
ADD --chown=10001:10001 config.yaml /etc/app/config.yaml
ADD ["start.sh", "/usr/local/bin/start.sh"]
