#include "coconut/util/expected.hpp"

namespace coconut::util {

const char* to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::Usage: return "usage";
        case ErrorCode::Input: return "input";
        case ErrorCode::Failure: return "failure";
        case ErrorCode::Interrupted: return "interrupted";
        case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

}  // namespace coconut::util
