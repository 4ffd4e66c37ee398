FROM node:20 AS build-frontend
FROM golang:1.22 AS build-backend
FROM debian:12-slim
