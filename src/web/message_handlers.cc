// The messages pages: how an organisation sends, the wording of each kind
// of message, and what was sent to whom.
#include "web/application.h"

namespace coproduce::web {

void add_message_page_routes(Router& router) { (void)router; }

}  // namespace coproduce::web
