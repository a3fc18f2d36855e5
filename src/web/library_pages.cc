#include "web/library_pages.h"

#include "core/dates.h"
#include "involvement/groups.h"
#include "learning/markdown.h"
#include "library/vocab.h"

namespace coproduce::web {

using nlohmann::json;

namespace {

std::string date_of(const std::string& timestamp) {
  return timestamp.size() >= 10 ? long_date(timestamp.substr(0, 10)) : std::string();
}

std::string people_text(const library::PeopleInvolved& p) {
  auto part = [](int n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::vector<std::string> parts;
  if (p.lived_experience > 0)
    parts.push_back(part(p.lived_experience, "person with lived experience of care",
                         "people with lived experience of care"));
  if (p.carers > 0) parts.push_back(part(p.carers, "unpaid carer", "unpaid carers"));
  if (p.staff > 0) parts.push_back(part(p.staff, "member of staff", "members of staff"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

}  // namespace

std::string case_study_href(int64_t id) { return "/library/case-studies/" + std::to_string(id); }

json case_study_view(const library::CaseStudy& c) {
  const library::CaseStudyInput& s = c.study;
  json data = {{"id", c.id},
               {"href", case_study_href(c.id)},
               {"title", s.title},
               {"summary", s.summary},
               {"organisation", c.organisation},
               {"status", c.status},
               {"status_label", activities::label(library::statuses(), c.status)}};
  put_if(data, "setting_label", activities::label(library::settings(), s.setting));
  put_if(data, "rung_label", s.rung.empty() ? "" : involvement::rung_label(s.rung));
  put_if(data, "area_of_care", s.area_of_care);
  json principles = json::array();
  for (const auto& p : s.principles) principles.push_back(activities::label(library::principles(), p));
  if (!principles.empty()) {
    data["principles"] = principles;
    data["has_principles"] = true;
  }
  put_if(data, "people_text", people_text(s.people));
  if (!s.story.empty()) data["story_html"] = learning::render_markdown(library::story_markdown(s), 0);
  else put_if(data, "story_html", c.content_html);  // sanitised when it was read from the feed
  put_if(data, "outcomes_html", s.outcomes.empty() ? "" : learning::render_markdown(s.outcomes, 1));
  put_if(data, "contact", s.contact);
  put_if(data, "easy_read_html", s.easy_read.empty() ? "" : learning::render_markdown(s.easy_read, 1));
  if (!s.easy_read.empty()) data["easy_read_href"] = case_study_href(c.id) + "/easy-read";
  json images = json::array();
  for (const auto& img : s.images) images.push_back({{"url", img.url}, {"alt", img.alt}});
  if (!images.empty()) data["images"] = images;
  put_if(data, "published_on", date_of(c.published_at));
  put_if(data, "updated_on", c.updated_at != c.published_at ? date_of(c.updated_at) : "");
  std::string reviewers;
  for (size_t i = 0; i < c.credited_reviewers.size(); ++i)
    reviewers += (i == 0 ? "" : i + 1 == c.credited_reviewers.size() ? " and " : ", ") + c.credited_reviewers[i];
  put_if(data, "reviewers", reviewers);
  if (c.imported()) {
    data["imported"] = true;
    put_if(data, "source_url", c.source_url);
  }
  return data;
}

}  // namespace coproduce::web
