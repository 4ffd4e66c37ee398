# A registry port is not a tag.
FROM --platform=linux/amd64 localhost:5000/team/base
