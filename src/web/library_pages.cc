#include "web/library_pages.h"

#include "core/dates.h"
#include "core/translatable.h"
#include "involvement/groups.h"
#include "learning/markdown.h"
#include "library/vocab.h"

namespace coproduce::web {

using nlohmann::json;

namespace {

// Coproduce's own words in the person's language when `ctx` is given, else
// in English.
std::string words(const Context* ctx, const std::string& english) { return ctx ? ctx->tr(english) : english; }

std::string date_of(const Context* ctx, const std::string& timestamp) {
  if (timestamp.size() < 10) return "";
  return ctx ? date_in(*ctx, timestamp) : long_date(timestamp.substr(0, 10));
}

// "1 unpaid carer", "2 unpaid carers": for staff pages, in English.
std::string english_count(long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "A, B and C", with "and" in the person's language.
std::string joined(const Context* ctx, const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " " + words(ctx, N_("and")) + " " : ", ") + parts[i];
  return out;
}

std::string people_text(const Context* ctx, const library::PeopleInvolved& p) {
  // The person's own pages count in their language, with its plural forms.
  std::vector<std::string> parts;
  if (p.lived_experience > 0)
    parts.push_back(ctx ? ctx->tr_plural("{n} person with lived experience of care",
                                         "{n} people with lived experience of care", p.lived_experience)
                        : english_count(p.lived_experience, "person with lived experience of care",
                                        "people with lived experience of care"));
  if (p.carers > 0)
    parts.push_back(ctx ? ctx->tr_plural("{n} unpaid carer", "{n} unpaid carers", p.carers)
                        : english_count(p.carers, "unpaid carer", "unpaid carers"));
  if (p.staff > 0)
    parts.push_back(ctx ? ctx->tr_plural("{n} member of staff", "{n} members of staff", p.staff)
                        : english_count(p.staff, "member of staff", "members of staff"));
  return joined(ctx, parts);
}

}  // namespace

std::string rung_name(const Context* ctx, const std::string& code) {
  // The rungs' names as involvement::ladder_rungs() writes them, marked here
  // so that the catalogues carry them for the library's pages.
  static const char* const kNames[] = {N_("Coercion"),   N_("Educating"), N_("Informing"),    N_("Consultation"),
                                       N_("Engagement"), N_("Co-design"), N_("Co-production")};
  (void)kNames;
  return words(ctx, involvement::rung_label(code));
}

std::string case_study_href(int64_t id) { return "/library/case-studies/" + std::to_string(id); }

json case_study_view(const library::CaseStudy& c, const Context* ctx) {
  const library::CaseStudyInput& s = c.study;
  json data = {{"id", c.id},
               {"href", case_study_href(c.id)},
               {"title", s.title},
               {"summary", s.summary},
               {"organisation", c.organisation},
               {"status", c.status},
               {"status_label", words(ctx, activities::label(library::statuses(), c.status))}};
  put_if(data, "setting_label", s.setting.empty() ? "" : words(ctx, activities::label(library::settings(), s.setting)));
  put_if(data, "rung_label", s.rung.empty() ? "" : rung_name(ctx, s.rung));
  put_if(data, "area_of_care", s.area_of_care);
  json principles = json::array();
  for (const auto& p : s.principles) principles.push_back(words(ctx, activities::label(library::principles(), p)));
  if (!principles.empty()) {
    data["principles"] = principles;
    data["has_principles"] = true;
  }
  put_if(data, "people_text", people_text(ctx, s.people));
  if (!s.story.empty()) data["story_html"] = learning::render_markdown(library::story_markdown(s), 0);
  else put_if(data, "story_html", c.content_html);  // sanitised when it was read from the feed
  put_if(data, "outcomes_html", s.outcomes.empty() ? "" : learning::render_markdown(s.outcomes, 1));
  put_if(data, "contact", s.contact);
  put_if(data, "easy_read_html", s.easy_read.empty() ? "" : learning::render_markdown(s.easy_read, 1));
  if (!s.easy_read.empty()) data["easy_read_href"] = case_study_href(c.id) + "/easy-read";
  json images = json::array();
  for (const auto& img : s.images) images.push_back({{"url", img.url}, {"alt", img.alt}});
  if (!images.empty()) data["images"] = images;
  put_if(data, "published_on", date_of(ctx, c.published_at));
  put_if(data, "updated_on", c.updated_at != c.published_at ? date_of(ctx, c.updated_at) : "");
  put_if(data, "reviewers", joined(ctx, c.credited_reviewers));
  if (c.imported()) {
    data["imported"] = true;
    put_if(data, "source_url", c.source_url);
  }
  return data;
}

}  // namespace coproduce::web
