FROM node:20 AS build
FROM nginx:latest@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5 AS web
FROM myorg/latest:1.0
FROM ubuntu
