#include "web/router.h"

#include <gtest/gtest.h>

#include "web/application.h"

namespace coproduce::web {
namespace {

Response ok(Context&) { return Response::text(200, "ok"); }

TEST(Router, MatchesParametersAndTheRest) {
  Router r;
  r.add({"GET", "/users/{id}", Access::anyone(), Channel::kPage, ok});
  r.add({"GET", "/static/*", Access::anyone(), Channel::kOps, ok});
  Match m = r.match("GET", "/users/42");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["id"], "42");
  m = r.match("GET", "/static/css/app.css");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params["*"], "css/app.css");
  EXPECT_EQ(r.match("GET", "/users/").route, nullptr);
  EXPECT_EQ(r.match("GET", "/users/1/extra").route, nullptr);
  EXPECT_EQ(r.match("GET", "/static/").route, nullptr);
}

TEST(Router, HeadFollowsGetAndOtherMethodsAreReported) {
  Router r;
  r.add({"GET", "/a", Access::anyone(), Channel::kPage, ok});
  EXPECT_NE(r.match("HEAD", "/a").route, nullptr);
  Match m = r.match("POST", "/a");
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.path_matched_other_method);
}

TEST(Access, DefaultIsNobody) {
  Access a;
  for (auto role : security::all_roles()) EXPECT_FALSE(a.allows(role));
  EXPECT_FALSE(a.is_public());
}

TEST(Routes, EveryRouteOfTheApplicationDeclaresWhoMayUseIt) {
  Router r = build_router();
  ASSERT_FALSE(r.routes().empty());
  for (const Route& route : r.routes()) {
    EXPECT_TRUE(route.access.is_public() || !route.access.roles.empty())
        << route.method << " " << route.pattern << " is open to nobody";
  }
}

}  // namespace
}  // namespace coproduce::web
