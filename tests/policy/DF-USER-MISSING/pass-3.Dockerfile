# USER root is present: DF-USER-ROOT reports it, not this rule.
FROM alpine:3.20
USER root
CMD ["/bin/true"]
