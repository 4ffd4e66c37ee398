FROM ubuntu:24.04
USER ubuntu
RUN sudo apt-get update
RUN sudo -u root -E make install
