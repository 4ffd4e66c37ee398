// hadolint's rules (README.md's rule table; the code is src/Hadolint/Rule/DLxxxx.hs). Most shell
// rules are `dlxxxx <> onbuild dlxxxx`: they also check RUN commands inside ONBUILD triggers, which
// run when another Dockerfile builds FROM the image; coconut checks this Dockerfile's own RUNs.
//
// Checked and not aliased, because the conditions differ:
//   DL3005 (apt-get upgrade) was deleted from hadolint (commit b264eaa, #964);
//   DL3009 fires on `apt-get update` without `rm -rf /var/lib/apt/lists/*`, DF-APT-LISTS on
//     `apt-get install` without a clean-up (`rm` or `apt-get dist-clean`, which DL3009 does not
//     accept), so a lone `RUN apt-get update` is reported by hadolint only;
//   DL3013 and DL3016 want a ref in VCS and git package URLs (git+https://…/x without @ref or #ref),
//     which DF-PIP-PIN and DF-NPM-PIN pass as paths or URLs;
//   DL3025 also reports HEALTHCHECK CMD in shell form, which DF-CMD-SHELL-FORM does not judge;
//   DL4001 resets at each FROM, DF-WGET-AND-CURL looks at the whole Dockerfile;
//   DL4006 fires for every pipe, DF-PIPEFAIL only for pipes fed by curl or wget.
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> hadolint() {
    const Peer p{"hadolint", "hadolint/hadolint@8f936c5"};
    return table(
        p,
        {
            {"DL3000", "src/Hadolint/Rule/DL3000.hs",
             "Reports a WORKDIR whose path (quotes dropped) starts neither with '/' nor with '$' and is not a "
             "Windows absolute path (a letter and ':').",
             ""},
            {"DL3002", "src/Hadolint/Rule/DL3002.hs",
             "Reports, for every stage whose last USER is root, 0, root:* or 0:*, that USER instruction.",
             "coconut judges the user the image starts with: the last USER of the final stage and the stages it "
             "is built FROM; hadolint also reports intermediate stages, whose user never runs the container."},
            {"DL3003", "src/Hadolint/Rule/DL3003.hs", "Reports a RUN that uses the program cd.",
             "hadolint also checks RUN inside ONBUILD triggers (they run in another build)."},
            {"DL3004", "src/Hadolint/Rule/DL3004.hs", "Reports a RUN that uses the program sudo.",
             "hadolint also checks RUN inside ONBUILD triggers (they run in another build)."},
            {"DL3006", "src/Hadolint/Rule/DL3006.hs",
             "Reports a FROM image with neither tag nor digest, unless it is scratch, starts with '$', or names "
             "an earlier stage.",
             "coconut does not judge a reference containing a $VARIABLE anywhere (registry/$IMAGE), whose "
             "value is unknown before the build."},
            {"DL3007", "src/Hadolint/Rule/DL3007.hs", "Reports a FROM image tagged latest without a digest.",
             "coconut does not judge a reference containing a $VARIABLE ($REGISTRY/app:latest), whose value is "
             "unknown before the build."},
            {"DL3008", "src/Hadolint/Rule/DL3008.hs",
             "Reports an apt-get install whose package arguments are not all pinned: containing '=', containing "
             "'/', or ending in .deb.",
             "coconut does not judge $VARIABLES (their value is unknown before the build), and reports "
             "`pkg/bookworm-backports` (a release, not a version) as unpinned, which hadolint's '/' test misses "
             "although the rule (\"pin versions\") covers it; hadolint also checks ONBUILD triggers. coconut "
             "does not judge simulated installs (apt-get install -s/--simulate/--dry-run/...), which install "
             "nothing."},
            {"DL3011", "src/Hadolint/Rule/DL3011.hs", "Reports an EXPOSE port (or port range bound) above 65535.",
             "coconut also reports what hadolint's parser cannot read as a port (EXPOSE 8080:80, an unknown "
             "protocol); it does not judge $VARIABLES."},
            {"DL3014", "src/Hadolint/Rule/DL3014.hs",
             "Reports an apt-get install without -y, --yes, --assume-yes, -qq, -q=2 or two -q (--quiet) flags.",
             "coconut also accepts -o APT::Get::Assume-Yes=true, but not two separate -q flags (which apt reads "
             "as -qq); hadolint also checks ONBUILD triggers. coconut does not judge simulated installs "
             "(apt-get install -s/--simulate/--dry-run/...): they install nothing and never prompt."},
            {"DL3015", "src/Hadolint/Rule/DL3015.hs",
             "Reports an apt-get install without --no-install-recommends or APT::Install-Recommends=false.",
             "hadolint also checks RUN inside ONBUILD triggers (they run in another build). coconut does not "
             "judge simulated installs (apt-get install -s/--simulate/--dry-run/...), which install nothing."},
            {"DL3018", "src/Hadolint/Rule/DL3018.hs",
             "Reports an apk add whose package arguments are not all pinned (containing =, ~, > or <) or .apk "
             "files (the values of -t, --virtual, --repository and -X are not packages).",
             "coconut does not judge $VARIABLES, paths or apk add -s/--simulate (installs nothing); hadolint "
             "also checks ONBUILD triggers."},
            {"DL3019", "src/Hadolint/Rule/DL3019.hs",
             "Reports an apk add without --no-cache, unless the RUN has a cache or tmpfs mount on /var/cache/apk.",
             "coconut also passes a RUN that removes /var/cache/apk, which leaves no cache in the layer either, "
             "and apk add -s/--simulate (installs nothing); hadolint also checks ONBUILD triggers."},
            {"DL3020", "src/Hadolint/Rule/DL3020.hs, src/Hadolint/Rule.hs (archiveFileFormatExtensions)",
             "Reports an ADD unless every source is an http(s) URL or has an archive extension (.tar, .gz, .bz2, "
             ".xz, .tgz, .Z, .lz, .lzma, ...).",
             "coconut's archives are what ADD extracts (tar, gzip, bzip2, xz, zstd), so it reports ADD of .lz, "
             ".lzma or .Z files, which ADD copies unextracted, and passes .zst; it also counts git and other "
             "URLs (scheme://, git@) as remote."},
            {"DL3022", "src/Hadolint/Rule/DL3022.hs",
             "Reports COPY --from naming neither an earlier stage alias nor a stage index below the number of "
             "stages so far; values containing ':' (image references) are skipped.",
             "coconut also takes values containing '/', '@' or '.' (docker.io/library/nginx) for image "
             "references and does not judge $VARIABLES."},
            {"DL3023", "src/Hadolint/Rule/DL3023.hs", "Reports COPY --from naming the alias of the stage it is in.",
             "coconut also reports the stage's own index."},
            {"DL3024", "src/Hadolint/Rule/DL3024.hs",
             "Reports a FROM whose alias an earlier FROM already used (compared exactly).",
             "coconut compares stage names case-insensitively, as BuildKit does."},
            {"DL3027", "src/Hadolint/Rule/DL3027.hs", "Reports a RUN that uses the program apt.",
             "hadolint also checks RUN inside ONBUILD triggers (they run in another build)."},
            {"DL3042", "src/Hadolint/Rule/DL3042.hs",
             "Reports a RUN with pip install without --no-cache-dir, unless PIP_NO_CACHE_DIR is set to a truthy "
             "value by ENV in the stage (or the stage it is built FROM) or in the script, the RUN mounts a "
             "cache or tmpfs on .cache/pip, or pip runs through pipx or pipenv.",
             "coconut also accepts PIP_NO_CACHE_DIR set by ARG (build arguments are in the RUN environment) and "
             "with any value, and pip install --dry-run (installs nothing); hadolint also checks ONBUILD "
             "triggers."},
            {"DL4000", "src/Hadolint/Rule/DL4000.hs", "Reports every MAINTAINER instruction.", ""},
            {"DL4003", "src/Hadolint/Rule/DL4003.hs", "Reports every CMD after the first one of a stage.", ""},
            {"DL4004", "src/Hadolint/Rule/DL4004.hs", "Reports every ENTRYPOINT after the first one of a stage.", ""},
            {"DL4005", "src/Hadolint/Rule/DL4005.hs", "Reports a RUN that runs ln with the argument /bin/sh.",
             "hadolint also checks RUN inside ONBUILD triggers (they run in another build)."},
        });
}

}  // namespace coconut::policy::rules::peers
