# Only comments: no stage, nothing to report.
# FROM alpine:3.20
