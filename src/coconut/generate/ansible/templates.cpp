#include "coconut/generate/ansible/templates.hpp"

namespace coconut::generate::ansible {

std::string env_template() {
    return "# {{ ansible_managed }}\n"
           "{% for name, value in tpl_env.items() %}\n"
           "{{ name }}={{ value | string | quote }}\n"
           "{% endfor %}\n";
}

std::string run_script_template() {
    return "#!/bin/sh\n"
           "# {{ ansible_managed }}\n"
           "set -a\n"
           ". {{ tpl_env_file | quote }}\n"
           "set +a\n"
           "cd {{ tpl_dir | quote }} || exit 1\n"
           "exec {{ tpl_argv | map('string') | map('quote') | join(' ') }}\n";
}

// systemd reads `%` specifiers and `$` expansions in ExecStart, and C-style escapes inside double
// quotes (JSON escapes are a subset for ASCII text).
std::string systemd_unit_template() {
    return "# {{ ansible_managed }}\n"
           "[Unit]\n"
           "Description={{ tpl_description }}\n"
           "After=network-online.target\n"
           "Wants=network-online.target\n"
           "\n"
           "[Service]\n"
           "Type=exec\n"
           "User={{ tpl_user }}\n"
           "WorkingDirectory={{ tpl_dir }}\n"
           "EnvironmentFile={{ tpl_env_file }}\n"
           "ExecStart={% for arg in tpl_argv %}{{ ' ' if not loop.first else '' }}"
           "{{ arg | string | replace('%', '%%') | replace('$', '$$') | to_json }}{% endfor %}\n"
           "\n"
           "Restart=on-failure\n"
           "RestartSec=2\n"
           "NoNewPrivileges=true\n"
           "PrivateTmp=true\n"
           "ProtectSystem=full\n"
           "\n"
           "[Install]\n"
           "WantedBy=multi-user.target\n";
}

std::string nginx_template() {
    return "# {{ ansible_managed }}\n"
           "{% if lb_user | length > 0 %}\n"
           "user {{ lb_user }};\n"
           "{% endif %}\n"
           "worker_processes {{ lb_worker_processes }};\n"
           "pid {{ lb_pid_file }};\n"
           "error_log {{ lb_error_log }};\n"
           "\n"
           "events {\n"
           "    worker_connections 1024;\n"
           "}\n"
           "\n"
           "http {\n"
           "    include /etc/nginx/mime.types;\n"
           "    default_type application/octet-stream;\n"
           "    log_format coconut '$remote_addr [$time_local] \"$request\" $status $body_bytes_sent '\n"
           "                       'upstream=$upstream_addr';\n"
           "    access_log {{ lb_access_log }} coconut;\n"
           "    server_tokens off;\n"
           "{% if lb_temp_dir | length > 0 %}\n"
           "    client_body_temp_path {{ lb_temp_dir }}/client_body;\n"
           "    proxy_temp_path {{ lb_temp_dir }}/proxy;\n"
           "    fastcgi_temp_path {{ lb_temp_dir }}/fastcgi;\n"
           "    uwsgi_temp_path {{ lb_temp_dir }}/uwsgi;\n"
           "    scgi_temp_path {{ lb_temp_dir }}/scgi;\n"
           "{% endif %}\n"
           "{% for upstream in lb_upstreams %}\n"
           "\n"
           "    upstream {{ upstream.name }} {\n"
           "{% for host in groups[upstream.group] | default([]) %}\n"
           "{% set ports = hostvars[host][upstream.ports_var] | default(upstream.ports) %}\n"
           "{% set address = hostvars[host].coconut_address | default(hostvars[host].ansible_host | default(host)) %}\n"
           "{% set weights = coconut_service_weights[upstream.service] | default(coconut_weights) %}\n"
           "{% for slot in ['blue', 'green'] %}\n"
           "{% set weight = weights[slot] | default(100 if slot == coconut_active_slot else 0) | int %}\n"
           "        server {{ address }}:{{ ports[slot] }}{{ (' weight=' ~ weight) if weight > 0 else ' down' }};\n"
           "{% endfor %}\n"
           "{% endfor %}\n"
           "    }\n"
           "{% endfor %}\n"
           "{% for site in lb_sites %}\n"
           "\n"
           "    server {\n"
           "        listen {{ (lb_listen_address ~ ':') if lb_listen_address | length > 0 else '' }}{{ lb_port }}"
           "{{ ' default_server' if site.default else '' }};\n"
           "        server_name {{ site.server_name }};\n"
           "{% for location in site.locations %}\n"
           "\n"
           "        location {{ location.path }} {\n"
           "            proxy_pass http://{{ location.upstream }};\n"
           "            proxy_set_header Host $host;\n"
           "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
           "            proxy_set_header X-Forwarded-Proto $scheme;\n"
           "            proxy_next_upstream error timeout http_502 http_503;\n"
           "        }\n"
           "{% endfor %}\n"
           "    }\n"
           "{% endfor %}\n"
           "}\n";
}

std::string jinja_literal(std::string_view value) {
    const bool has_jinja = value.find("{{") != std::string_view::npos || value.find("{%") != std::string_view::npos ||
                           value.find("{#") != std::string_view::npos;
    if (!has_jinja) return std::string(value);
    // Raw blocks, split at every "{%" (written as the expression {{ '{%' }}), so no raw block can
    // contain its own end tag. No backslashes or quotes: Ansible rewrites backslashes inside
    // expressions before Jinja sees them.
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = value.find("{%", start);
        const std::string_view piece = value.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start);
        if (!piece.empty()) out += "{% raw %}" + std::string(piece) + "{% endraw %}";
        if (at == std::string_view::npos) break;
        out += "{{ '{%' }}";
        start = at + 2;
    }
    return out;
}

}  // namespace coconut::generate::ansible
