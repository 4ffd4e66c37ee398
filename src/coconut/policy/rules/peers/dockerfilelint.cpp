// dockerfilelint's checks (lib/index.js runs them, lib/checks.js, lib/apt.js and lib/apk.js hold
// them; the ids are the message keys of lib/reference.js). The project has had no release since
// 2020.
//
// Checked and not aliased, because the conditions differ:
//   apt-get_missing_param also wants -y on apt-get remove and upgrade (DF-APT-NO-YES: install only);
//   apt-get_missing_rm fires on `apt-get update` without the clean-up, DF-APT-LISTS on `install`;
//   sudo_usage fires on the word sudo in any instruction (CMD, or `apt-get install sudo`), DF-RUN-SUDO
//     on a sudo command in RUN.
#include "coconut/policy/rules/peers/tables.hpp"

namespace coconut::policy::rules::peers {

std::vector<AliasEvidence> dockerfilelint() {
    const Peer p{"dockerfilelint", "replicatedhq/dockerfilelint@f7bdc89"};
    return table(
        p, {
               {"missing_tag", "lib/checks.js (base_image_tag), lib/index.js",
                "Reports a FROM whose image (after --platform) has no ':' and no '@', unless it is scratch or an "
                "earlier stage name.",
                "coconut does not judge $VARIABLES (unknown before the build), and reports a registry port "
                "without a tag (registry:5000/app), which dockerfilelint's ':' test misses although the check "
                "(\"missing tag\") covers it."},
               {"latest_tag", "lib/checks.js (base_image_tag), lib/index.js",
                "Reports a FROM image without '@' whose text after the last ':' is latest.", ""},
               {"apt-get_recommends", "lib/apt.js (aptget_hasnorecommends), lib/index.js",
                "Reports an apt-get install without --no-install-recommends.",
                "coconut also accepts -o APT::Install-Recommends=false, which has the same effect, and does not "
                "judge simulated installs (apt-get install -s/--simulate/--dry-run/...), which install nothing."},
               {"apt-get-upgrade", "lib/index.js", "Reports apt-get upgrade in a RUN.",
                "The alias is carried with apt-get-dist-upgrade by DF-APT-UPGRADE, which also reports apt (not "
                "apt-get) upgrades and full-upgrade, the same operation under another name, and does not judge "
                "simulated upgrades (apt-get -s), which change nothing."},
               {"apt-get-dist-upgrade", "lib/index.js", "Reports apt-get dist-upgrade in a RUN.",
                "The alias is carried with apt-get-upgrade by DF-APT-UPGRADE, which also reports apt (not "
                "apt-get) upgrades and full-upgrade, the same operation under another name, and does not judge "
                "simulated upgrades (apt-get -s), which change nothing."},
               {"apkadd-missing_nocache_or_updaterm", "lib/apk.js, lib/index.js",
                "Reports an apk add without --no-cache, unless it has --update and is followed in the RUN by an rm "
                "of /var/cache/apk/*.",
                "coconut passes any RUN that removes /var/cache/apk (with or without --update: the cache is gone "
                "either way) or mounts a cache on it, and apk add -s/--simulate (installs nothing)."},
               {"invalid_port", "lib/checks.js (expose_port_valid), lib/index.js",
                "Reports an EXPOSE word that is not a number from 0 to 65535 with an optional /tcp or /udp.",
                "The alias is carried with expose_host_port by DF-EXPOSE-PORT, which accepts port ranges "
                "(8000-8010) and /sctp, both valid for Docker, and does not judge $VARIABLES."},
               {"expose_host_port", "lib/checks.js (expose_container_port_only), lib/index.js",
                "Reports an EXPOSE word containing ':' (a host mapping).",
                "The alias is carried with invalid_port by DF-EXPOSE-PORT, whose union is the two checks."},
           });
}

}  // namespace coconut::policy::rules::peers
