# One CMD per stage; HEALTHCHECK CMD is not a CMD instruction.
FROM node:20 AS build
CMD ["npm", "test"]
FROM node:20-slim
HEALTHCHECK CMD ["node", "healthcheck.js"]
CMD ["node", "server.js"]
