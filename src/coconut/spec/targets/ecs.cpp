// Spec rules of the `ecs` target (validate.hpp, COCONUT_REGISTER_TARGET_CHECK): run on the base
// tree and on every environment's merged tree, and only when the tree has a `targets.ecs` block.
//   - every service's (and job's: scheduled tasks run on Fargate too) resources map to a Fargate
//     task size; an invalid pair is reported at `resources` with the nearest valid pair;
//   - the AWS identifiers of `targets.ecs` have AWS's formats (account ID, subnet, security
//     group, EFS IDs, IAM role and target group ARNs), so a typo is a positioned error here
//     rather than an API error at deploy time;
//   - target groups belong to web services, EFS entries to persistent volumes;
//   - job schedules are expressible in EventBridge's cron; secret references are SSM names.
#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "coconut/spec/eventbridge.hpp"
#include "coconut/spec/fargate.hpp"
#include "coconut/spec/quantity.hpp"
#include "coconut/spec/validate.hpp"

namespace coconut::spec::targets::ecs {

namespace {

using detail::Issue;
using detail::Path;
using detail::quote;
using detail::value_of;
using yaml::Node;

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "subnet-0123abcd" or "subnet-0123456789abcdef0": AWS resource IDs have 8 or 17 hex digits.
bool is_resource_id(std::string_view s, std::string_view prefix) {
    if (!s.starts_with(prefix)) return false;
    const auto hex = s.substr(prefix.size());
    return (hex.size() == 8 || hex.size() == 17) && is_hex(hex);
}

// us-east-1, eu-central-2, ap-southeast-4, us-gov-west-1, cn-northwest-1
bool is_region(std::string_view s) {
    const auto parts = [&] {
        std::vector<std::string_view> out;
        std::size_t start = 0;
        while (true) {
            auto d = s.find('-', start);
            out.push_back(s.substr(start, d == std::string_view::npos ? std::string_view::npos : d - start));
            if (d == std::string_view::npos) return out;
            start = d + 1;
        }
    }();
    if (parts.size() < 3 || parts.front().size() != 2 || !is_digits(parts.back())) return false;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i)
        if (parts[i].empty() || !std::all_of(parts[i].begin(), parts[i].end(), [](char c) { return c >= 'a' && c <= 'z'; }))
            return false;
    return true;
}

// "arn:<partition>:<service>:<region>:<account>:<resource>" with the given service; the
// resource part is returned (empty when `s` is no such ARN).
std::string_view arn_resource(std::string_view s, std::string_view service, bool regional) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (int i = 0; i < 5; ++i) {
        auto colon = s.find(':', start);
        if (colon == std::string_view::npos) return {};
        parts.push_back(s.substr(start, colon - start));
        start = colon + 1;
    }
    if (parts[0] != "arn" || !parts[1].starts_with("aws") || parts[2] != service) return {};
    if (regional ? !is_region(parts[3]) : !parts[3].empty()) return {};
    if (parts[4].size() != 12 || !is_digits(parts[4])) return {};
    return s.substr(start);
}

// IAM role names: letters, digits and + = , . @ _ -, at most 64.
bool is_role_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return is_alnum(c) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
           });
}

bool is_role(std::string_view s) {
    if (!s.starts_with("arn:")) return is_role_name(s);
    auto r = arn_resource(s, "iam", false);
    if (!r.starts_with("role/")) return false;
    r.remove_prefix(5);
    const auto slash = r.rfind('/');
    return is_role_name(slash == std::string_view::npos ? r : r.substr(slash + 1));
}

// arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef
bool is_target_group(std::string_view s) {
    auto r = arn_resource(s, "elasticloadbalancing", true);
    if (!r.starts_with("targetgroup/")) return false;
    r.remove_prefix(12);
    const auto slash = r.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash > 32) return false;
    const auto name = r.substr(0, slash);
    return std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '-'; }) &&
           r.size() - slash - 1 == 16 && is_hex(r.substr(slash + 1));
}

// ECS cluster names: letters, digits, _ and -, at most 255; or a cluster ARN.
bool is_cluster(std::string_view s) {
    if (s.starts_with("arn:")) {
        auto r = arn_resource(s, "ecs", true);
        if (!r.starts_with("cluster/")) return false;
        s = r.substr(8);
    }
    return !s.empty() && s.size() <= 255 && std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
}

// SSM Parameter Store names: letters, digits and _ . - /
bool is_ssm_text(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || std::string_view("_.-/").find(c) != std::string_view::npos; });
}

bool is_log_group(std::string_view s) {
    return !s.empty() && s.size() <= 512 && std::all_of(s.begin(), s.end(), [](char c) {
               return is_alnum(c) || std::string_view("._-/#").find(c) != std::string_view::npos;
           });
}

bool is_platform_version(std::string_view s) {
    if (s == "LATEST") return true;
    int dots = 0;
    for (char c : s) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
    }
    return dots == 2 && s.front() != '.' && s.back() != '.' && s.find("..") == std::string_view::npos;
}

std::string scalar(const Node* n) { return n && n->is_scalar() ? n->text : std::string(); }

// Values the structural walk rejects already (empty, or with spaces where the descriptor table
// says NoSpaces): not reported a second time.
bool checkable(const Node* n) {
    return n && n->is_scalar() && !n->text.empty() && n->text.find_first_of(" \t\n") == std::string::npos;
}

class Check {
public:
    Check(const Node& root, std::vector<Issue>& out) : m_root(root), m_out(out) {}

    void run(const Node& ecs) {
        const Path ep = Path().key("targets").key("ecs");
        if (ecs.is_mapping()) check_target(ecs, ep);
        const Node* services = value_of(&m_root, "services");
        if (!services || !services->is_mapping()) return;
        const Path sp = Path().key("services");
        for (const auto& p : services->pairs) {
            if (!p.key->is_scalar() || !p.value->is_mapping()) continue;
            check_resources(*p.key, *p.value, sp.key(p.key->text));
            check_storage(*p.value, sp.key(p.key->text), ecs);
            check_schedule(*p.value, sp.key(p.key->text));
            check_secrets(*p.value, sp.key(p.key->text));
        }
    }

private:
    void error(const Node& n, const Path& path, std::string message) {
        m_out.push_back(Issue{&n, n.start, path, std::move(message)});
    }

    void check_scalar(const Node& e, const Path& ep, std::string_view key, bool (*ok)(std::string_view),
                      std::string_view expected) {
        const Node* n = value_of(&e, key);
        if (!checkable(n) || ok(n->text)) return;
        error(*n, ep.key(key), "must be " + std::string(expected) + " (got " + quote(n->text) + ")");
    }

    void check_target(const Node& e, const Path& ep) {
        // account_id has no format in the descriptor table (a number or a string): every value is ours.
        if (const Node* a = value_of(&e, "account_id"); a && a->is_scalar() && !(a->text.size() == 12 && is_digits(a->text)))
            error(*a, ep.key("account_id"),
                  "must be a 12-digit AWS account ID (got " + quote(a->text) + ")");
        check_scalar(e, ep, "region", is_region, "an AWS region such as us-east-1 or eu-west-3");
        check_scalar(e, ep, "cluster", is_cluster,
                     "an ECS cluster name (letters, digits, _ and -, at most 255) or cluster ARN");
        for (const char* role : {"execution_role", "task_role", "scheduler_role"})
            check_scalar(e, ep, role, is_role,
                         "an IAM role name (letters, digits and +=,.@_-, at most 64) or an "
                         "arn:aws:iam::<account>:role/<name> ARN");
        check_scalar(e, ep, "log_group", is_log_group,
                     "a CloudWatch Logs group name (letters, digits and ._-/#, at most 512)");
        check_scalar(e, ep, "ssm_prefix",
                     [](std::string_view s) { return s.starts_with("/") && s.ends_with("/") && is_ssm_text(s); },
                     "an SSM parameter path that starts and ends with '/' (letters, digits and _.-/)");
        check_scalar(e, ep, "platform_version", is_platform_version, "LATEST or a version such as 1.4.0");
        check_ids(e, ep, "subnets", "subnet-");
        check_ids(e, ep, "security_groups", "sg-");
        check_target_groups(e, ep);
        check_efs(e, ep);
    }

    void check_ids(const Node& e, const Path& ep, std::string_view key, std::string_view prefix) {
        const Node* list = value_of(&e, key);
        if (!list || !list->is_sequence()) return;
        for (std::size_t i = 0; i < list->items.size(); ++i) {
            const Node& n = *list->items[i];
            if (!checkable(&n) || is_resource_id(n.text, prefix)) continue;
            error(n, ep.key(key).index(i),
                  "must be " + std::string(prefix) + "<8 or 17 hex digits>, e.g. " + std::string(prefix) +
                      "0123456789abcdef0 (got " + quote(n.text) + ")");
        }
    }

    void check_target_groups(const Node& e, const Path& ep) {
        const Node* tg = value_of(&e, "target_groups");
        if (!tg || !tg->is_mapping()) return;
        const Node* services = value_of(&m_root, "services");
        std::vector<std::string> web;
        std::vector<std::string> all;
        if (services && services->is_mapping())
            for (const auto& p : services->pairs) {
                if (!p.key->is_scalar()) continue;
                all.push_back(p.key->text);
                if (p.value->is_mapping() && scalar(value_of(p.value, "type")) == "web") web.push_back(p.key->text);
            }
        for (const auto& p : tg->pairs) {
            if (!p.key->is_scalar()) continue;
            const Path kp = ep.key("target_groups").key(p.key->text);
            if (std::find(web.begin(), web.end(), p.key->text) == web.end()) {
                if (std::find(all.begin(), all.end(), p.key->text) != all.end())
                    error(*p.key, kp, quote(p.key->text) + " is not a web service: only web services sit behind a load balancer");
                else
                    error(*p.key, kp, detail::unknown_name_message("web service", p.key->text, web, "web services"));
                continue;
            }
            if (checkable(p.value) && !is_target_group(p.value->text))
                error(*p.value, kp,
                      "must be a target group ARN such as arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                      "targetgroup/web/0123456789abcdef (got " + quote(p.value->text) + ")");
        }
    }

    void check_efs(const Node& e, const Path& ep) {
        const Node* efs = value_of(&e, "efs");
        if (!efs || !efs->is_mapping()) return;
        std::vector<std::string> persistent;
        if (const Node* services = value_of(&m_root, "services"); services && services->is_mapping())
            for (const auto& p : services->pairs) {
                const Node* vols = p.value->is_mapping() ? value_of(p.value, "volumes") : nullptr;
                if (!vols || !vols->is_sequence()) continue;
                for (const auto* v : vols->items) {
                    const std::string name = scalar(value_of(v, "name"));
                    if (!name.empty() && value_of(v, "size") &&
                        std::find(persistent.begin(), persistent.end(), name) == persistent.end())
                        persistent.push_back(name);
                }
            }
        for (const auto& p : efs->pairs) {
            if (!p.key->is_scalar()) continue;
            const Path kp = ep.key("efs").key(p.key->text);
            if (std::find(persistent.begin(), persistent.end(), p.key->text) == persistent.end()) {
                error(*p.key, kp, detail::unknown_name_message("persistent volume", p.key->text, persistent,
                                                               "persistent volumes (volumes with a size)"));
                continue;
            }
            if (checkable(p.value) && !is_resource_id(p.value->text, "fs-"))
                error(*p.value, kp, "must be an EFS file system ID such as fs-0123456789abcdef0 (got " +
                                        quote(p.value->text) + ")");
        }
    }

    // The task size the service's resources need (limits, else requests, else the defaults).
    void check_resources(const Node& key, const Node& svc, const Path& sp) {
        const Node* r = value_of(&svc, "resources");
        if (r && !r->is_mapping()) return;   // reported by the structural walk
        const Resources defaults;
        auto pick = [&](const char* limit, const char* request, const std::string& def) {
            if (std::string v = scalar(value_of(r, limit)); !v.empty()) return v;
            if (std::string v = scalar(value_of(r, request)); !v.empty()) return v;
            return def;
        };
        const std::string cpu = pick("cpu_limit", "cpu", defaults.cpu);
        const std::string memory = pick("memory_limit", "memory", defaults.memory);
        const auto millis = parse_cpu_millis(cpu);
        const auto bytes = parse_memory_bytes(memory);
        if (!millis || !bytes) return;   // reported by the structural walk
        const fargate::Mapping m = fargate::map(*millis, *bytes);
        if (m.problem.empty()) return;
        std::string message = m.problem;
        if (m.suggestion)
            message += "; nearest valid pair: cpu " + fargate::cpu_quantity(m.suggestion->cpu) + ", memory " +
                       fargate::memory_quantity(m.suggestion->memory);
        error(r ? *r : key, sp.key("resources"), std::move(message));
    }

    // Persistent volumes without an EFS file system are bind mounts on the task's storage:
    // Fargate gives a task at most 200 GiB, and coconut keeps 20 GiB for the image.
    void check_storage(const Node& svc, const Path& sp, const Node& ecs) {
        const Node* vols = value_of(&svc, "volumes");
        if (!vols || !vols->is_sequence()) return;
        const Node* efs = ecs.is_mapping() ? value_of(&ecs, "efs") : nullptr;
        double bytes = 0;
        std::string largest;
        double largest_bytes = 0;
        for (const auto* v : vols->items) {
            const std::string name = scalar(value_of(v, "name"));
            const Node* size = value_of(v, "size");
            if (!size || !size->is_scalar() || (efs && efs->is_mapping() && efs->find(name))) continue;
            const double b = parse_memory_bytes(size->text).value_or(0.0);
            bytes += b;
            if (b > largest_bytes) {
                largest_bytes = b;
                largest = name;
            }
        }
        const double gib = bytes / (1024.0 * 1024.0 * 1024.0);
        if (gib <= 180.0) return;
        error(*vols, sp.key("volumes"),
              "persistent volumes without EFS live on the Fargate task's storage, at most 200 GiB with 20 GiB kept "
              "for the image (these need " + std::to_string(static_cast<long long>(std::ceil(gib))) +
                  " GiB); put them on EFS, e.g. targets.ecs.efs." + largest + ": fs-0123456789abcdef0");
    }

    void check_schedule(const Node& svc, const Path& sp) {
        if (scalar(value_of(&svc, "type")) != "job") return;
        const Node* s = value_of(&svc, "schedule");
        if (!s || !s->is_scalar() || cron_problem(s->text)) return;   // missing or invalid: reported already
        auto cron = eventbridge::cron_expression(s->text);
        if (!cron.problem.empty()) error(*s, sp.key("schedule"), cron.problem);
    }

    void check_secrets(const Node& svc, const Path& sp) {
        const Node* secrets = value_of(&svc, "secrets");
        if (!secrets || !secrets->is_mapping()) return;
        for (const auto& p : secrets->pairs) {
            if (!p.key->is_scalar() || !checkable(p.value)) continue;
            const std::string& ref = p.value->text;
            if (is_ssm_text(ref) && ref.find("//") == std::string::npos) continue;
            error(*p.value, sp.key("secrets").key(p.key->text),
                  "secret reference " + quote(ref) +
                      " is not a valid SSM parameter name on ECS (letters, digits and _.-/, no empty segment)");
        }
    }

    const Node& m_root;
    std::vector<Issue>& m_out;
};

void check_ecs(const Node& root, std::vector<Issue>& out) {
    if (!root.is_mapping()) return;
    const Node* targets = value_of(&root, "targets");
    if (!targets || !targets->is_mapping()) return;
    const Node* ecs = targets->find("ecs");
    if (!ecs) return;   // `ecs:` with no value (null) still enables the target
    Check(root, out).run(*ecs);
}

}  // namespace

COCONUT_REGISTER_TARGET_CHECK(ecs, check_ecs);

}  // namespace coconut::spec::targets::ecs
