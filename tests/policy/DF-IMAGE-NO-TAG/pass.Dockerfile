ARG BASE=debian:12-slim
FROM $BASE AS base
FROM node:20.12-bookworm-slim AS build
FROM base
FROM scratch
FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
FROM localhost:5000/team/app:1.4
