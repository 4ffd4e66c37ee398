#pragma once
// The Jinja2 templates (`roles/*/templates/*.j2`) of the ansible target: the one place their text
// lives. They hold no value from the spec: everything comes from variables (role defaults,
// group_vars, task `vars:`), so nothing a spec writes is ever evaluated as Jinja.
#include <string>
#include <string_view>

namespace coconut::generate::ansible {

// `<svc>.env`: one NAME='value' line per entry of `tpl_env` (a dict), shell-quoted so the file is
// both a systemd EnvironmentFile and a POSIX sh script (`set -a; . file`).
std::string env_template();
// `run.sh`: loads `tpl_env_file` and execs `tpl_argv` (a list) in `tpl_dir`.
// start-stop-daemon runs it in the background; cron runs it for jobs.
std::string run_script_template();
// A systemd unit running `tpl_argv` with `tpl_env_file` as EnvironmentFile, as `tpl_user`.
std::string systemd_unit_template();
// nginx.conf of the lb role: `lb_upstreams` (both slots of every host, weights from
// `coconut_service_weights[<svc>]`, else `coconut_weights`, else `coconut_active_slot`) and
// `lb_sites`.
std::string nginx_template();

// A string from the spec made safe as an Ansible variable value: returned unchanged unless it
// holds Jinja delimiters, then wrapped so Ansible yields it literally.
std::string jinja_literal(std::string_view value);

}  // namespace coconut::generate::ansible
