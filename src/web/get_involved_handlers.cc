// The public "get involved" journey: a person tells an organisation they
// want to take part in co-production, one question a page, then checks their
// answers and sends them.
//
// Answers in progress live in a server-side draft (involvement/drafts.h)
// named by a random token in an HttpOnly cookie. Each question page's POST
// checks the answer, saves it to the draft and redirects to the next page;
// "Change" links from the check-answers page (?change=1) come back to it,
// passing through any question the change has made necessary. Sending claims
// the draft and adds the person (involvement/people.h) with consent to the
// wording shown.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "core/text.h"
#include "core/translatable.h"
#include "involvement/drafts.h"
#include "involvement/options.h"
#include "involvement/people.h"
#include "security/rate_limit.h"
#include "web/application.h"
#include "web/library_pages.h"
#include "web/page_helpers.h"

namespace coproduce::web {
namespace {

using involvement::Draft;
using involvement::DraftAnswers;
using involvement::Drafts;
using involvement::kPreferNotToSay;
using involvement::OptionSet;
using involvement::PersonDetails;
using nlohmann::json;

using Errors = std::vector<std::pair<std::string, std::string>>;
using Codes = std::vector<std::string>;

constexpr const char* kDraftCookie = "coproduce_get_involved";
constexpr const char* kStart = "/get-involved";
constexpr const char* kCheck = "/get-involved/check";

bool has(const Codes& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The English a page gives, in the person's language. The words are marked
// with N_ where they are written (the pages are built once, in English) and
// looked up here, as each page is shown; an empty text stays empty.
std::string tr(const Context& ctx, const std::string& english) {
  return english.empty() ? english : ctx.tr(english);
}

std::string label_of(const std::string& field, const std::string& code) {
  const OptionSet* set = involvement::option_set(field);
  const involvement::Option* o = set ? set->by_code(code) : nullptr;
  return o ? o->label : code;
}

// The contact methods a person has given, in the order we offer them.
Codes contact_methods(const PersonDetails& d) {
  Codes out;
  if (!trim_copy(d.email).empty()) out.push_back("email");
  if (!normalise_uk_mobile(d.phone).empty()) out.push_back("text");
  if (!trim_copy(d.phone).empty()) out.push_back("phone");
  if (!trim_copy(d.address).empty()) out.push_back("post");
  return out;
}

// The broad ethnic groups (the Census headings), each with a short code.
struct EthnicHeading {
  std::string code;
  std::string label;
};

const std::vector<EthnicHeading>& ethnic_headings() {
  static const std::vector<EthnicHeading> kHeadings = [] {
    std::vector<EthnicHeading> out;
    for (const auto& o : involvement::option_set("ethnic_group")->options) {
      if (o.group.empty()) continue;
      if (!out.empty() && out.back().label == o.group) continue;
      std::string code;
      for (char c : o.group) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        code += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      out.push_back({code, o.group});
    }
    return out;
  }();
  return kHeadings;
}

const EthnicHeading* ethnic_heading(const std::string& code) {
  for (const auto& h : ethnic_headings()) {
    if (h.code == code) return &h;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// The journey as one request sees it.

struct Journey {
  Context& ctx;
  std::string token;
  Draft draft;
  std::vector<accounts::Organisation> organisations;
  bool change = false;

  std::string organisation_name() const {
    for (const auto& o : organisations) {
      if (draft.organisation_id && o.id == *draft.organisation_id) return o.name;
    }
    return organisations.size() == 1 ? organisations.front().name : ctx.tr(N_("the organisation"));
  }
};

struct PageView {
  std::string template_name;
  std::string title;
  json data;
};

using ErrorMap = std::map<std::string, std::string>;

// One question page.
struct Page {
  std::string slug;
  // Must be answered before the answers can be checked and sent. Equality
  // questions are not: a person may stop answering them at any point.
  bool required = true;
  std::function<bool(const Journey&, const DraftAnswers&)> applies;
  // The page's template data from the answers (as saved, or as just typed).
  std::function<PageView(const Journey&, const DraftAnswers&, const ErrorMap&)> view;
  // Reads the form into the answers; returns the problems, in page order.
  std::function<Errors(Journey&, const Form&, DraftAnswers&)> accept;
};

bool always(const Journey&, const DraftAnswers&) { return true; }
bool answering_equality(const Journey&, const DraftAnswers& a) { return a.equality_choice == "answer"; }

// The ids of a field's hint and error message, for aria-describedby.
std::string described_by(const std::string& field, bool hint, bool error) {
  std::string out;
  if (hint) out = field + "-hint";
  if (error) out += (out.empty() ? "" : " ") + field + "-error";
  return out;
}

// Problems that validate(PersonDetails) finds in `fields`, in its order.
void add_detail_errors(const PersonDetails& d, const std::vector<std::string>& fields, Errors* errors) {
  for (const auto& e : involvement::validate(d)) {
    if (std::find(fields.begin(), fields.end(), e.field) == fields.end()) continue;
    bool seen = std::any_of(errors->begin(), errors->end(), [&](const auto& p) { return p.first == e.field; });
    if (!seen) errors->emplace_back(e.field, e.message);
  }
}

// Sets the field's "error" and "described_by" (its hint and error ids).
void set_error(json& target, const ErrorMap& errors, const std::string& field) {
  auto it = errors.find(field);
  if (it != errors.end()) target["error"] = it->second;
  std::string described = described_by(field, target.contains("hint"), it != errors.end());
  if (!described.empty()) target["described_by"] = described;
}

// ---------------------------------------------------------------------------
// Text pages: one text answer (name, area).

struct TextSpec {
  std::string slug, field, heading, hint, autocomplete, width_class, required_error;
  std::string PersonDetails::*value;
};

Page text_page(TextSpec spec) {
  Page p;
  p.slug = spec.slug;
  p.applies = always;
  p.view = [spec](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
    const std::string heading = tr(j.ctx, spec.heading);
    json d = {{"field", spec.field},
              {"heading", heading},
              {"value", a.details.*spec.value},
              {"width_class", spec.width_class}};
    if (!spec.hint.empty()) d["hint"] = tr(j.ctx, spec.hint);
    if (!spec.autocomplete.empty()) d["autocomplete"] = spec.autocomplete;
    set_error(d, errors, spec.field);
    return PageView{"get_involved/text", heading, d};
  };
  p.accept = [spec](Journey&, const Form& f, DraftAnswers& a) {
    Errors errors;
    a.details.*spec.value = trim_copy(f.get(spec.field));
    if ((a.details.*spec.value).empty()) errors.emplace_back(spec.field, spec.required_error);
    add_detail_errors(a.details, {spec.field}, &errors);
    return errors;
  };
  return p;
}

// ---------------------------------------------------------------------------
// Choice pages: radios or checkboxes, with an optional text field revealed by
// one choice and an optional text field after the choices.

struct Item {
  std::string value;
  std::string label;
  std::string hint;
  bool divider_before = false;  // an "or" before this item
  bool exclusive = false;       // a "none" checkbox that clears the others
};

struct TextField {
  std::string field, label, hint;
  bool textarea = false;
  std::string required_error;  // when the revealing choice is chosen
  std::string PersonDetails::*value;
};

struct ChoiceSpec {
  std::string slug, field, caption, heading, hint;
  bool multiple = false;
  bool required = true;        // the page must be visited before checking answers
  std::string required_error;  // empty: choosing nothing is fine
  std::string both_error;      // an exclusive item chosen with others
  std::function<bool(const Journey&, const DraftAnswers&)> applies = always;
  std::function<std::vector<Item>(const Journey&, const DraftAnswers&)> items;
  std::function<Codes(const Journey&, const DraftAnswers&)> get;
  std::function<void(Journey&, DraftAnswers&, const Codes&)> set;
  std::string reveal_on;  // the item value that reveals `reveal`
  std::optional<TextField> reveal;
  std::optional<TextField> extra;
  bool equality = false;  // an optional monitoring question: offer to skip the rest
};

std::vector<Item> items_from(const std::string& field, bool prefer_divider = false) {
  std::vector<Item> out;
  for (const auto& o : involvement::option_set(field)->options) {
    Item it{o.code, o.label, "", false, false};
    if (prefer_divider && o.code == kPreferNotToSay) it.divider_before = true;
    out.push_back(it);
  }
  return out;
}

// A text field inside a choice page. Its keys start "t_" so that Mustache's
// look-up of a missing key cannot find the page's own hint or error instead.
json text_field_data(const Context& ctx, const TextField& t, const DraftAnswers& a, const ErrorMap& errors) {
  json d = {{"t_field", t.field},
            {"t_label", tr(ctx, t.label)},
            {"t_value", a.details.*t.value},
            {"t_textarea", t.textarea}};
  if (!t.hint.empty()) d["t_hint"] = tr(ctx, t.hint);
  auto it = errors.find(t.field);
  if (it != errors.end()) d["t_error"] = it->second;
  std::string described = described_by(t.field, !t.hint.empty(), it != errors.end());
  if (!described.empty()) d["t_described_by"] = described;
  return d;
}

Page choice_page(ChoiceSpec spec) {
  Page p;
  p.slug = spec.slug;
  p.required = spec.required;
  p.applies = spec.applies;
  p.view = [spec](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
    Codes chosen = spec.get(j, a);
    json items = json::array();
    bool first = true;
    for (const Item& it : spec.items(j, a)) {
      json item = {{"id", first ? spec.field : spec.field + "-" + it.value},
                   {"value", it.value},
                   {"label", tr(j.ctx, it.label)},
                   {"checked", has(chosen, it.value)}};
      first = false;
      if (!it.hint.empty()) item["item_hint"] = it.hint;
      if (it.divider_before) item["divider"] = j.ctx.tr(N_("or"));
      if (it.exclusive) item["exclusive"] = true;
      if (spec.reveal && it.value == spec.reveal_on) item["reveal"] = text_field_data(j.ctx, *spec.reveal, a, errors);
      items.push_back(item);
    }
    const std::string heading = tr(j.ctx, spec.heading);
    json d = {{"field", spec.field},
              {"heading", heading},
              {"kind", spec.multiple ? "checkboxes" : "radios"},
              {"input_type", spec.multiple ? "checkbox" : "radio"},
              {"items", items}};
    if (!spec.caption.empty()) d["caption"] = tr(j.ctx, spec.caption);
    if (!spec.hint.empty()) d["hint"] = tr(j.ctx, spec.hint);
    if (spec.extra) d["extra"] = text_field_data(j.ctx, *spec.extra, a, errors);
    set_error(d, errors, spec.field);
    if (spec.equality) {
      d["skip_href"] = j.change ? kCheck : "/get-involved/consent";
    }
    return PageView{"get_involved/choices", heading, d};
  };
  p.accept = [spec](Journey& j, const Form& f, DraftAnswers& a) {
    Errors errors;
    std::vector<Item> items = spec.items(j, a);
    Codes chosen;
    for (const auto& v : f.all(spec.field)) {
      bool known = std::any_of(items.begin(), items.end(), [&](const Item& it) { return it.value == v; });
      if (!known) {
        errors.emplace_back(spec.field, N_("Select one of the answers shown"));
        return errors;
      }
      if (!has(chosen, v)) chosen.push_back(v);
      if (!spec.multiple) break;
    }
    if (spec.reveal) a.details.*spec.reveal->value = trim_copy(f.get(spec.reveal->field));
    if (spec.extra) a.details.*spec.extra->value = trim_copy(f.get(spec.extra->field));
    bool exclusive_with_others = false;
    for (const Item& it : items) {
      if (it.exclusive && has(chosen, it.value) && chosen.size() > 1) exclusive_with_others = true;
    }
    if (chosen.empty() && !spec.required_error.empty() && !(spec.extra && !(a.details.*spec.extra->value).empty())) {
      errors.emplace_back(spec.field, spec.required_error);
    } else if (exclusive_with_others) {
      errors.emplace_back(spec.field, spec.both_error);
    }
    if (spec.reveal && has(chosen, spec.reveal_on) && (a.details.*spec.reveal->value).empty()) {
      errors.emplace_back(spec.reveal->field, spec.reveal->required_error);
    }
    spec.set(j, a, chosen);
    // Words typed into a revealed field go when its choice is taken away.
    if (spec.reveal && !has(chosen, spec.reveal_on)) (a.details.*spec.reveal->value).clear();
    std::vector<std::string> fields = {spec.field};
    if (spec.reveal) fields.push_back(spec.reveal->field);
    if (spec.extra) fields.push_back(spec.extra->field);
    add_detail_errors(a.details, fields, &errors);
    return errors;
  };
  return p;
}

// A multiple-choice question stored in a list of codes in the details.
ChoiceSpec list_choice(std::string slug, std::string field, Codes PersonDetails::*member) {
  ChoiceSpec s;
  s.slug = std::move(slug);
  s.field = field;
  s.multiple = true;
  s.items = [field](const Journey&, const DraftAnswers&) { return items_from(field); };
  s.get = [member](const Journey&, const DraftAnswers& a) { return a.details.*member; };
  s.set = [member](Journey&, DraftAnswers& a, const Codes& c) { a.details.*member = c; };
  return s;
}

// An equality monitoring question: one answer, with N_("Prefer not to say").
ChoiceSpec equality_choice(std::string slug, std::string field, std::string heading, std::string hint,
                           std::string required_error) {
  ChoiceSpec s;
  s.slug = std::move(slug);
  s.field = field;
  s.caption = N_("About you (you can skip these)");
  s.heading = std::move(heading);
  s.hint = std::move(hint);
  s.required = false;
  s.equality = true;
  s.required_error = std::move(required_error);
  s.applies = answering_equality;
  s.items = [field](const Journey&, const DraftAnswers&) { return items_from(field, true); };
  s.get = [field](const Journey&, const DraftAnswers& a) {
    auto it = a.equality.find(field);
    return it == a.equality.end() ? Codes{} : Codes{it->second};
  };
  s.set = [field](Journey&, DraftAnswers& a, const Codes& c) {
    if (c.empty()) {
      a.equality.erase(field);
    } else {
      a.equality[field] = c.front();
    }
  };
  return s;
}

// ---------------------------------------------------------------------------
// The pages, in the order they are asked.

std::vector<Page> make_pages() {
  std::vector<Page> pages;

  {
    ChoiceSpec s;
    s.slug = "organisation";
    s.field = "organisation";
    s.heading = N_("Which organisation do you want to be involved with?");
    s.required_error = N_("Select the organisation you want to be involved with");
    s.applies = [](const Journey& j, const DraftAnswers&) { return j.organisations.size() > 1; };
    s.items = [](const Journey& j, const DraftAnswers&) {
      std::vector<Item> out;
      for (const auto& o : j.organisations) out.push_back({std::to_string(o.id), o.name, "", false, false});
      return out;
    };
    s.get = [](const Journey& j, const DraftAnswers&) {
      return j.draft.organisation_id ? Codes{std::to_string(*j.draft.organisation_id)} : Codes{};
    };
    s.set = [](Journey& j, DraftAnswers&, const Codes& c) {
      if (!c.empty()) j.draft.organisation_id = std::stoll(c.front());
    };
    pages.push_back(choice_page(s));
  }

  pages.push_back(text_page({"name", "name", N_("What is your name?"), N_("The name you would like us to use."), "name",
                             "govuk-!-width-two-thirds", N_("Enter your name"), &PersonDetails::name}));

  {
    Page p;
    p.slug = "contact";
    p.applies = always;
    p.view = [](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
      const PersonDetails& d = a.details;
      json data = {{"email", d.email}, {"phone", d.phone}, {"address", d.address}, {"postcode", d.postcode}};
      for (const char* f : {"contact", "email", "phone", "address", "postcode"}) {
        if (auto it = errors.find(f); it != errors.end()) data[std::string(f) + "_error"] = it->second;
      }
      return PageView{"get_involved/contact", j.ctx.tr(N_("How can we contact you?")), data};
    };
    p.accept = [](Journey&, const Form& f, DraftAnswers& a) {
      PersonDetails& d = a.details;
      Codes before = contact_methods(d);
      d.email = trim_copy(f.get("email"));
      d.phone = trim_copy(f.get("phone"));
      d.address = trim_copy(f.get("address"));
      d.postcode = trim_copy(f.get("postcode"));
      Errors errors;
      if (d.email.empty() && d.phone.empty() && d.address.empty()) {
        errors.emplace_back("contact", d.postcode.empty()
                                           ? N_("Enter an email address, a phone number or a postal address")
                                           : N_("Enter your address as well as your postcode, or an email address "
                                                "or phone number"));
      }
      add_detail_errors(d, {"email", "phone", "address", "postcode"}, &errors);
      // The preferred way follows the ways given: the only one, or asked again.
      Codes methods = contact_methods(d);
      if (methods.size() == 1) {
        d.contact_by = methods.front();
      } else if (methods != before || !has(methods, d.contact_by)) {
        if (!has(methods, d.contact_by)) d.contact_by.clear();
        a.answered.erase("contact-preference");
      }
      return errors;
    };
    pages.push_back(p);
  }

  {
    ChoiceSpec s;
    s.slug = "contact-preference";
    s.field = "contact_by";
    s.heading = N_("How would you like us to contact you?");
    s.required_error = N_("Select how you would like us to contact you");
    s.applies = [](const Journey&, const DraftAnswers& a) { return contact_methods(a.details).size() > 1; };
    s.items = [](const Journey&, const DraftAnswers& a) {
      std::vector<Item> out;
      for (const auto& m : contact_methods(a.details)) {
        std::string hint = m == "email" ? a.details.email
                           : (m == "phone" || m == "text") ? a.details.phone
                                                           : a.details.address;
        out.push_back({m, label_of("contact_by", m), hint, false, false});
      }
      return out;
    };
    s.get = [](const Journey&, const DraftAnswers& a) {
      return a.details.contact_by.empty() ? Codes{} : Codes{a.details.contact_by};
    };
    s.set = [](Journey&, DraftAnswers& a, const Codes& c) { a.details.contact_by = c.empty() ? "" : c.front(); };
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = list_choice("formats", "formats", &PersonDetails::formats);
    s.caption = N_("Your needs");
    s.heading = N_("How would you like us to send you information?");
    s.hint = N_("Tick all that apply.");
    s.required_error = N_("Select how you would like us to send you information");
    s.reveal_on = "other_language";
    s.reveal = TextField{"other_language",
                         N_("Which language?"),
                         "",
                         false,
                         N_("Enter the language you would like"),
                         &PersonDetails::other_language};
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = list_choice("access-needs", "access_needs", &PersonDetails::access_needs);
    s.caption = N_("Your needs");
    s.heading = N_("What support would help you take part?");
    s.hint = N_("Tick all that apply.");
    s.required_error = N_("Select the support you need, or select ‘I do not need any of these’");
    s.both_error = N_("Select the support you need, or ‘I do not need any of these’, not both");
    s.items = [](const Journey&, const DraftAnswers&) {
      std::vector<Item> out = items_from("access_needs");
      out.push_back({"none", N_("I do not need any of these"), "", true, true});
      return out;
    };
    // N_("None") is not kept with the person (no needs is an empty list), so
    // the draft remembers it was ticked, to show it ticked again.
    s.get = [](const Journey&, const DraftAnswers& a) {
      Codes out = a.details.access_needs;
      if (a.helpers.count("access_needs_none")) out.push_back("none");
      return out;
    };
    s.set = [](Journey&, DraftAnswers& a, const Codes& c) {
      a.details.access_needs.clear();
      a.helpers.erase("access_needs_none");
      for (const auto& code : c) {
        if (code == "none") {
          a.helpers["access_needs_none"] = "yes";
        } else {
          a.details.access_needs.push_back(code);
        }
      }
    };
    s.extra = TextField{"access_other",
                        N_("Anything else we should know or arrange for you? (optional)"),
                        N_("In your own words. For example, a person you would like to come with you, or a time of "
                           "day that is hard for you."),
                        true,
                        "",
                        &PersonDetails::access_other};
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = list_choice("experience", "lived_experience", &PersonDetails::lived_experience);
    s.caption = N_("Your experience");
    s.heading = N_("What do you know about care and support?");
    s.hint = N_("Tick all that apply.");
    s.required_error = N_("Select your experience of care and support");
    s.reveal_on = "other";
    s.reveal = TextField{"experience_other",
                         N_("Tell us about your experience"),
                         "",
                         true,
                         N_("Enter your experience of care and support"),
                         &PersonDetails::experience_other};
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = list_choice("care-kinds", "care_kinds", &PersonDetails::care_kinds);
    s.caption = N_("Your experience");
    s.heading = N_("Which kinds of care and support do you know about?");
    s.hint = N_("From your own life, or from looking after someone. Tick all that apply. You can leave this blank.");
    pages.push_back(choice_page(s));
  }

  pages.push_back(
      text_page({"area", "area", N_("Which area do you live in?"),
                 N_("Your town, village or part of the county. We use it to ask you to things near you."),
                 "address-level2", "govuk-!-width-two-thirds", N_("Enter the area you live in"), &PersonDetails::area}));

  {
    ChoiceSpec s = list_choice("availability", "availability", &PersonDetails::availability);
    s.caption = N_("Taking part");
    s.heading = N_("When can you most often take part?");
    s.hint = N_("Tick all that apply.");
    s.required_error = N_("Select when you can most often take part");
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = list_choice("ways", "ways", &PersonDetails::ways);
    s.caption = N_("Taking part");
    s.heading = N_("How would you like to take part?");
    s.hint = N_("Tick all that apply.");
    s.required_error = N_("Select how you would like to take part");
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s;
    s.slug = "payment";
    s.field = "payment";
    s.caption = N_("Taking part");
    s.heading = N_("Do you want to be paid for your time?");
    s.hint = N_("We pay people for the time they give when they take part. You can say no to being paid.");
    s.required_error = N_("Select if you want to be paid for your time");
    s.items = [](const Journey&, const DraftAnswers&) { return items_from("payment"); };
    s.get = [](const Journey&, const DraftAnswers& a) {
      return a.details.payment.empty() ? Codes{} : Codes{a.details.payment};
    };
    s.set = [](Journey&, DraftAnswers& a, const Codes& c) {
      a.details.payment = c.empty() ? "" : c.front();
      if (a.details.payment != "paid") {
        a.details.benefits_advice = false;
        a.answered.erase("benefits-advice");
      }
    };
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s;
    s.slug = "benefits-advice";
    s.field = "benefits_advice";
    s.caption = N_("Taking part");
    s.heading = N_("Do you want help with your benefits first?");
    s.hint =
        N_("Being paid can change some benefits, such as Universal Credit. We can tell you where to get free help "
           "to check, before we pay you.");
    s.required_error = N_("Select yes if you want help with your benefits first");
    s.applies = [](const Journey&, const DraftAnswers& a) { return a.details.payment == "paid"; };
    s.items = [](const Journey&, const DraftAnswers&) {
      return std::vector<Item>{{"yes", N_("Yes, tell me where to get help first"), "", false, false},
                               {"no", N_("No, thank you"), "", false, false}};
    };
    s.get = [](const Journey&, const DraftAnswers& a) {
      if (!a.answered.count("benefits-advice")) return Codes{};
      return Codes{a.details.benefits_advice ? "yes" : "no"};
    };
    s.set = [](Journey&, DraftAnswers& a, const Codes& c) { a.details.benefits_advice = has(c, "yes"); };
    pages.push_back(choice_page(s));
  }

  {
    Page p;
    p.slug = "equality";
    p.applies = always;
    p.view = [](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
      json d = {{"answer", a.equality_choice == "answer"}, {"skip", a.equality_choice == "skip"}};
      if (auto it = errors.find("equality_choice"); it != errors.end()) d["equality_choice_error"] = it->second;
      return PageView{"get_involved/equality_intro", j.ctx.tr(N_("Equality questions")), d};
    };
    p.accept = [](Journey&, const Form& f, DraftAnswers& a) {
      std::string choice = f.get("equality_choice");
      if (choice != "answer" && choice != "skip") {
        return Errors{{"equality_choice", N_("Select if you want to answer the equality questions")}};
      }
      a.equality_choice = choice;
      if (choice == "skip") {
        a.equality.clear();
        a.helpers.erase("ethnic_heading");
      }
      return Errors{};
    };
    pages.push_back(p);
  }

  pages.push_back(choice_page(
      equality_choice("age", "age_band", N_("What is your age?"), "",
                      N_("Select your age, or ‘Prefer not to say’"))));
  pages.push_back(
      choice_page(equality_choice("sex", "sex", N_("What is your sex?"), "",
                                  N_("Select your sex, or ‘Prefer not to say’"))));
  pages.push_back(
      choice_page(equality_choice("gender-identity", "gender_identity",
                                  N_("Is your gender the same as the sex you were given at birth?"),
                                  "", N_("Select yes, no, or ‘Prefer not to say’"))));

  {
    ChoiceSpec s = equality_choice("ethnic-group", "ethnic_group", N_("What is your ethnic group?"),
                                   N_("This means the group of people your family comes from."),
                                   N_("Select your ethnic group, or ‘Prefer not to say’"));
    s.items = [](const Journey&, const DraftAnswers&) {
      std::vector<Item> out;
      for (const auto& h : ethnic_headings()) out.push_back({h.code, h.label, "", false, false});
      out.push_back({kPreferNotToSay, N_("Prefer not to say"), "", true, false});
      return out;
    };
    s.get = [](const Journey&, const DraftAnswers& a) {
      auto eq = a.equality.find("ethnic_group");
      if (eq != a.equality.end() && eq->second == kPreferNotToSay) return Codes{kPreferNotToSay};
      auto it = a.helpers.find("ethnic_heading");
      return it == a.helpers.end() ? Codes{} : Codes{it->second};
    };
    s.set = [](Journey&, DraftAnswers& a, const Codes& c) {
      std::string before = a.helpers.count("ethnic_heading") ? a.helpers.at("ethnic_heading") : "";
      if (c.empty()) return;
      if (c.front() == kPreferNotToSay) {
        a.equality["ethnic_group"] = kPreferNotToSay;
        a.helpers.erase("ethnic_heading");
      } else if (c.front() != before || !a.equality.count("ethnic_group")) {
        a.helpers["ethnic_heading"] = c.front();
        a.equality.erase("ethnic_group");
        a.answered.erase("ethnic-background");
      }
    };
    pages.push_back(choice_page(s));
  }

  {
    ChoiceSpec s = equality_choice("ethnic-background", "ethnic_group", "", "",
                                   N_("Select the background that describes you best, or ‘Prefer not to say’"));
    s.applies = [](const Journey&, const DraftAnswers& a) {
      auto it = a.helpers.find("ethnic_heading");
      return a.equality_choice == "answer" && it != a.helpers.end() && ethnic_heading(it->second);
    };
    s.items = [](const Journey&, const DraftAnswers& a) {
      std::vector<Item> out;
      auto it = a.helpers.find("ethnic_heading");
      const EthnicHeading* h = it == a.helpers.end() ? nullptr : ethnic_heading(it->second);
      for (const auto& o : involvement::option_set("ethnic_group")->options) {
        if (h && o.group == h->label) out.push_back({o.code, o.label, "", false, false});
      }
      out.push_back({kPreferNotToSay, N_("Prefer not to say"), "", true, false});
      return out;
    };
    Page p = choice_page(s);
    // The heading names the broad group chosen on the page before.
    auto view = p.view;
    p.view = [view](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
      PageView v = view(j, a, errors);
      auto it = a.helpers.find("ethnic_heading");
      const EthnicHeading* h = it == a.helpers.end() ? nullptr : ethnic_heading(it->second);
      v.title = j.ctx.tr(N_("Which of these is most like your background?"));
      if (h) v.data["caption"] = j.ctx.tr(h->label);
      v.data["heading"] = v.title;
      return v;
    };
    pages.push_back(p);
  }

  pages.push_back(choice_page(equality_choice(
      "disability", "disability", N_("Do you have a health problem that makes day to day life hard?"),
      N_("A problem with your body or your mind. It has lasted a year or more, or we think it will."),
      N_("Select yes, no, or ‘Prefer not to say’"))));
  pages.push_back(choice_page(equality_choice("sexual-orientation", "sexual_orientation",
                                              N_("What is your sexual orientation?"),
                                              N_("This means who you fall in love with or are drawn to."),
                                              N_("Select your sexual orientation, or ‘Prefer not to say’"))));
  pages.push_back(choice_page(equality_choice("religion", "religion", N_("What is your faith or belief?"), "",
                                              N_("Select your religion or belief, or ‘Prefer not to say’"))));
  pages.push_back(choice_page(equality_choice(
      "carer", "carer", N_("Do you look after or help someone who is ill, disabled or old?"),
      N_("Do not count what you do as part of a paid job."),
      N_("Select how much care you give, or ‘Prefer not to say’"))));

  {
    Page p;
    p.slug = "consent";
    p.applies = always;
    p.view = [](const Journey& j, const DraftAnswers& a, const ErrorMap& errors) {
      const auto& w = involvement::current_consent();
      json d = {
          {"wording", j.ctx.tr(w.text)},
          {"version", w.version},
          {"organisation_name", j.organisation_name()},
          {"checked", a.consent && a.helpers.count("consent_version") && a.helpers.at("consent_version") == w.version}};
      if (auto it = errors.find("consent"); it != errors.end()) d["consent_error"] = it->second;
      return PageView{"get_involved/consent", j.ctx.tr(N_("Do you agree to us keeping your details?")), d};
    };
    p.accept = [](Journey&, const Form& f, DraftAnswers& a) {
      if (f.get("consent") != "yes") {
        a.consent = false;
        return Errors{{"consent", N_("Select ‘I agree’ so that we can keep your details")}};
      }
      a.consent = true;
      a.helpers["consent_version"] = involvement::current_consent().version;
      return Errors{};
    };
    pages.push_back(p);
  }

  return pages;
}

const std::vector<Page>& pages() {
  static const std::vector<Page> kPages = make_pages();
  return kPages;
}

const Page* find_page(const std::string& slug) {
  for (const Page& p : pages()) {
    if (p.slug == slug) return &p;
  }
  return nullptr;
}

std::string page_href(const std::string& slug, bool change = false) {
  return "/get-involved/" + slug + (change ? "?change=1" : "");
}

// Where a page's Back link goes: the applicable page before it, or the start.
std::string back_href(const Journey& j, const Page& page) {
  if (j.change) return kCheck;
  std::string back = kStart;
  for (const Page& p : pages()) {
    if (&p == &page) break;
    if (p.applies(j, j.draft.answers)) back = page_href(p.slug);
  }
  return back;
}

// Where to go after a page is answered. In order, the next applicable page;
// when changing an answer, the next page only when it has become necessary
// and is unanswered (a new contact method, choosing to be paid), else back
// to check the answers.
std::string next_href(const Journey& j, const Page& page) {
  bool after = false;
  for (const Page& p : pages()) {
    if (&p == &page) {
      after = true;
      continue;
    }
    if (!after || !p.applies(j, j.draft.answers)) continue;
    if (!j.change) return page_href(p.slug);
    if (!j.draft.answers.answered.count(p.slug)) return page_href(p.slug, true);
    return kCheck;
  }
  return kCheck;
}

// The first page that must be answered before the answers can be checked.
const Page* first_unanswered(const Journey& j) {
  for (const Page& p : pages()) {
    if (p.required && p.applies(j, j.draft.answers) && !j.draft.answers.answered.count(p.slug)) return &p;
  }
  if (j.draft.answers.helpers.count("consent_version") &&
      j.draft.answers.helpers.at("consent_version") != involvement::current_consent().version) {
    return find_page("consent");  // the wording has changed since they agreed
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// Requests.

Response to_start(Context& ctx, bool expired) {
  Response r = Response::redirect(expired ? "/get-involved?expired=1" : kStart);
  if (!ctx.request.cookie(kDraftCookie).empty()) {
    r.headers.emplace_back("Set-Cookie", make_set_cookie(kDraftCookie, "", {true, ctx.request.secure, 0}));
  }
  return r;
}

// Loads the organisations and the draft the cookie names. On failure fills
// `out` with the response to send instead: the start page for no draft.
std::optional<Journey> open_journey(Context& ctx, Response* out) {
  auto orgs = ctx.services.accounts.list_organisations();
  if (!orgs.ok()) {
    *out = ctx.error(503);
    return std::nullopt;
  }
  std::string token = ctx.request.cookie(kDraftCookie);
  if (token.empty()) {
    *out = to_start(ctx, false);
    return std::nullopt;
  }
  Drafts drafts(ctx.services.db, ctx.services.clock);
  auto draft = drafts.load(token);
  if (!draft.ok()) {
    *out = ctx.error(503);
    return std::nullopt;
  }
  if (!*draft || (*draft)->submitted()) {
    *out = to_start(ctx, !*draft);
    return std::nullopt;
  }
  Journey j{ctx, token, **draft, std::move(*orgs), ctx.request.query("change") == "1"};
  if (j.organisations.size() == 1) j.draft.organisation_id = j.organisations.front().id;
  return j;
}

Response render(Context& ctx, const Journey& j, const Page& page, const DraftAnswers& answers, Errors errors) {
  // The problems are found in English (the pages' own and the pool's checks,
  // marked with N_ where they are written) and shown in the person's language.
  for (auto& error : errors) error.second = ctx.tr(error.second);
  ErrorMap map(errors.begin(), errors.end());
  PageView v = page.view(j, answers, map);
  v.data["action"] = page_href(page.slug, j.change);
  v.data["back_href"] = back_href(j, page);
  if (errors.empty()) return ctx.page(200, v.template_name, v.title, v.data);
  return ctx.form_errors(v.template_name, v.title, v.data, errors);
}

// The Easy Read version of the start page (templates/easy_read/page and
// partials/easy_read, as for a participant's own pages): one short idea a
// line with its picture, and the same Start button.
Response easy_read_start(Context& ctx, const std::vector<accounts::Organisation>& orgs) {
  auto say = [&ctx](const char* english) { return ctx.tr(english); };
  json what = {easy_read_idea(ctx, "people", N_("Two people"), say(N_("You know what care and support is like."))),
               easy_read_idea(ctx, "speech", N_("A speech bubble"), say(N_("Tell us what you think. Help us make care better."))),
               easy_read_idea(ctx, "people", N_("Two people"), say(N_("You can join a group or go to a meeting."))),
               easy_read_idea(ctx, "receipt", N_("A sheet of paper"), say(N_("Or you can tell us what you think by phone or on paper."))),
               easy_read_idea(ctx, "money", N_("A pound sign"), say(N_("We can pay you for your time.")))};
  json ask = {easy_read_idea(ctx, "person", N_("A person"), say(N_("Your name, and how to get in touch with you."))),
              easy_read_idea(ctx, "tick", N_("A tick"), say(N_("Any help you need to take part."))),
              easy_read_idea(ctx, "calendar", N_("A calendar"), say(N_("When you can take part."))),
              easy_read_idea(ctx, "lock", N_("A lock"), say(N_("Some questions about you, to check we are fair. You can skip them.")))};
  json next = {easy_read_idea(ctx, "calendar", N_("A calendar"), say(N_("It takes about 10 minutes."))),
               easy_read_idea(ctx, "tick", N_("A tick"), say(N_("You can check your answers before you send them."))),
               easy_read_idea(ctx, "bin", N_("A bin"), say(N_("If you do not send them, we delete them after 1 day.")))};
  json sections = json::array({{{"heading", say(N_("What this is"))}, {"ideas", what}},
                               {{"heading", say(N_("What we will ask you"))}, {"ideas", ask}},
                               {{"heading", say(N_("Before you start"))}, {"ideas", next}}});
  json easy = {{"heading", say(N_("Get involved"))},
               {"standard_href", "/get-involved?version=standard"},
               {"sections", sections}};
  if (orgs.empty()) {
    easy["notice"] = say(N_("You cannot sign up here yet. Please come back later."));
  } else {
    easy["start_action"] = kStart;
  }
  return ctx.page(200, "easy_read/page", say(N_("Get involved in Easy Read")), easy);
}

// A signed-in participant whose pool record asks for Easy Read sees the Easy
// Read version first; everyone else is offered it by a link.
bool wants_easy_read(Context& ctx) {
  if (!ctx.user || ctx.user->role != security::Role::kParticipant) return false;
  auto person = own_person(ctx);
  return person && easy_read_first(ctx, *person);
}

Response start_page(Context& ctx) {
  auto orgs = ctx.services.accounts.list_organisations();
  if (!orgs.ok()) return ctx.error(503);
  if (wants_easy_read(ctx)) return easy_read_start(ctx, *orgs);
  json d = {{"open", !orgs->empty()},
            {"expired", ctx.request.query("expired") == "1"},
            {"easy_read_href", "/get-involved/easy-read"}};
  if (orgs->size() == 1) d["organisation_name"] = orgs->front().name;
  add_short_definition(ctx, orgs->size() == 1 ? std::optional<int64_t>(orgs->front().id) : std::nullopt, d);
  // Someone coming back to answers they have not sent can carry on.
  Drafts drafts(ctx.services.db, ctx.services.clock);
  auto draft = drafts.load(ctx.request.cookie(kDraftCookie));
  if (draft.ok() && *draft && !(*draft)->submitted() && !(*draft)->answers.answered.empty() && !orgs->empty()) {
    Journey j{ctx, "", **draft, std::move(*orgs), false};
    if (j.organisations.size() == 1) j.draft.organisation_id = j.organisations.front().id;
    const Page* next = first_unanswered(j);
    d["continue_href"] = next ? page_href(next->slug) : kCheck;
  }
  return ctx.page(200, "get_involved/start", ctx.tr(N_("Get involved")), d);
}

Response easy_read_page(Context& ctx) {
  auto orgs = ctx.services.accounts.list_organisations();
  if (!orgs.ok()) return ctx.error(503);
  return easy_read_start(ctx, *orgs);
}

// Public forms are limited per network address (Services sets how far), so
// a script cannot fill the pool or the drafts table.
bool over_limit(Context& ctx, const char* action, int limit, Response* out) {
  auto allowed = security::RateLimiter(ctx.services.db, ctx.services.clock)
                     .allow(action, ctx.request.remote_address, limit, std::chrono::hours(1));
  if (!allowed.ok()) {
    *out = ctx.error(503);
    return true;
  }
  if (*allowed) return false;
  *out = ctx.error(429, N_("This form has been used many times from your connection in the last hour. "
                           "Please try again in an hour, or ask the organisation to add you."));
  return true;
}

Response start(Context& ctx) {
  if (Response limited; over_limit(ctx, "get-involved.start", ctx.services.public_starts_per_hour, &limited)) return limited;
  auto orgs = ctx.services.accounts.list_organisations();
  if (!orgs.ok()) return ctx.error(503);
  if (orgs->empty()) return Response::redirect(kStart);
  Drafts drafts(ctx.services.db, ctx.services.clock);
  if (Status s = drafts.remove(ctx.request.cookie(kDraftCookie)); !s.ok()) return ctx.error(503);
  std::optional<int64_t> org;
  if (orgs->size() == 1) org = orgs->front().id;
  auto token = drafts.create(org);
  if (!token.ok()) return ctx.error(503);
  Response r = Response::redirect(page_href(orgs->size() == 1 ? "name" : "organisation"));
  r.headers.emplace_back(
      "Set-Cookie", make_set_cookie(kDraftCookie, *token,
                                    {true, ctx.request.secure, static_cast<int>(Drafts::kLifetime.count() * 3600)}));
  return r;
}

Response question(Context& ctx) {
  const Page* page = find_page(ctx.param("page"));
  if (!page) return ctx.error(404);
  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) return out;
  // A page that does not apply (the organisation question with one
  // organisation, equality questions after skipping them) moves on.
  if (!page->applies(*j, j->draft.answers)) return Response::redirect(next_href(*j, *page));
  if (ctx.request.method == "GET" || ctx.request.method == "HEAD") {
    return render(ctx, *j, *page, j->draft.answers, {});
  }
  DraftAnswers answers = j->draft.answers;
  auto organisation_before = j->draft.organisation_id;
  Errors errors = page->accept(*j, ctx.form, answers);
  if (!errors.empty()) {
    j->draft.organisation_id = organisation_before;
    return render(ctx, *j, *page, answers, errors);
  }
  answers.answered.insert(page->slug);
  j->draft.answers = answers;
  Drafts drafts(ctx.services.db, ctx.services.clock);
  Status s = drafts.save(j->token, j->draft.organisation_id, j->draft.answers);
  if (s.code() == StatusCode::kNotFound || s.code() == StatusCode::kConflict) return to_start(ctx, true);
  if (!s.ok()) return ctx.error(503);
  return Response::redirect(next_href(*j, *page));
}

// A summary list row: the question, the answer in lines, and a Change link,
// in the person's language. The answers the person typed stay as typed.
json row(const Context& ctx, const std::string& key, std::vector<std::string> lines, const std::string& slug,
         const std::string& change_label) {
  if (lines.empty()) lines.push_back(ctx.tr(N_("None given")));
  return {{"key", ctx.tr(key)},
          {"lines", lines},
          {"href", page_href(slug, true)},
          {"change_label", ctx.tr(change_label)}};
}

std::vector<std::string> labels(const Context& ctx, const std::string& field, const Codes& codes) {
  std::vector<std::string> out;
  for (const auto& c : codes) out.push_back(tr(ctx, label_of(field, c)));
  return out;
}

json check_data(const Journey& j) {
  const Context& ctx = j.ctx;
  const DraftAnswers& a = j.draft.answers;
  const PersonDetails& d = a.details;
  json you = json::array();
  if (j.organisations.size() > 1) {
    you.push_back(row(ctx, N_("Organisation"), {j.organisation_name()}, "organisation", N_("organisation")));
  }
  you.push_back(row(ctx, N_("Name"), {d.name}, "name", N_("name")));
  std::vector<std::string> contact;
  if (!d.email.empty()) contact.push_back(d.email);
  if (!d.phone.empty()) contact.push_back(d.phone);
  for (auto& line : split_codes(d.address, '\n')) {
    if (!trim_copy(line).empty()) contact.push_back(trim_copy(line));
  }
  if (!d.postcode.empty()) contact.push_back(d.postcode);
  you.push_back(row(ctx, N_("Contact details"), contact, "contact", N_("contact details")));
  if (contact_methods(d).size() > 1) {
    you.push_back(row(ctx, N_("Contact me by"), {tr(ctx, label_of("contact_by", d.contact_by))},
                      "contact-preference", N_("how we contact you")));
  }
  std::vector<std::string> formats;
  for (const auto& code : d.formats) {
    std::string f = tr(ctx, label_of("formats", code));
    if (code == "other_language" && !d.other_language.empty()) f += ": " + d.other_language;
    formats.push_back(f);
  }
  you.push_back(row(ctx, N_("Information sent as"), formats, "formats", N_("how we send you information")));
  std::vector<std::string> support = labels(ctx, "access_needs", d.access_needs);
  if (!d.access_other.empty()) support.push_back(d.access_other);
  if (support.empty()) support.push_back(ctx.tr(N_("No support needed")));
  you.push_back(row(ctx, N_("Support to take part"), support, "access-needs", N_("support to take part")));
  std::vector<std::string> experience = labels(ctx, "lived_experience", d.lived_experience);
  if (!d.experience_other.empty()) experience.push_back(d.experience_other);
  you.push_back(row(ctx, N_("Experience"), experience, "experience", N_("experience")));
  you.push_back(row(ctx, N_("Kinds of care and support"), labels(ctx, "care_kinds", d.care_kinds), "care-kinds",
                    N_("kinds of care and support")));
  you.push_back(row(ctx, N_("Area"), {d.area}, "area", N_("area")));
  you.push_back(row(ctx, N_("When you can take part"), labels(ctx, "availability", d.availability), "availability",
                    N_("when you can take part")));
  you.push_back(row(ctx, N_("Ways to take part"), labels(ctx, "ways", d.ways), "ways", N_("ways to take part")));
  you.push_back(row(ctx, N_("Payment"), {tr(ctx, label_of("payment", d.payment))}, "payment", N_("payment")));
  if (d.payment == "paid") {
    you.push_back(row(ctx, N_("Benefits advice first"), {ctx.tr(d.benefits_advice ? N_("Yes") : N_("No"))},
                      "benefits-advice", N_("benefits advice")));
  }

  json equality = json::array();
  if (a.equality_choice == "skip") {
    equality.push_back(row(ctx, N_("Equality questions"), {ctx.tr(N_("You chose not to answer them"))}, "equality",
                           N_("equality questions")));
  } else {
    equality.push_back(row(ctx, N_("Equality questions"), {ctx.tr(N_("You chose to answer them"))}, "equality",
                           N_("equality questions")));
    // Each question's field, its row, its page and the words of its Change link.
    struct Question {
      const char* field;
      const char* key;
      const char* slug;
      const char* change_label;
    };
    static const Question kQuestions[] = {
        {"age_band", N_("Age"), "age", N_("age")},
        {"sex", N_("Sex"), "sex", N_("sex")},
        {"gender_identity", N_("Gender same as sex registered at birth"), "gender-identity",
         N_("gender same as sex registered at birth")},
        {"ethnic_group", N_("Ethnic group"), "ethnic-group", N_("ethnic group")},
        {"disability", N_("Health condition or illness"), "disability", N_("health condition or illness")},
        {"sexual_orientation", N_("Sexual orientation"), "sexual-orientation", N_("sexual orientation")},
        {"religion", N_("Religion or belief"), "religion", N_("religion or belief")},
        {"carer", N_("Caring for someone"), "carer", N_("caring for someone")}};
    for (const Question& q : kQuestions) {
      auto it = a.equality.find(q.field);
      std::string value = it == a.equality.end() ? ctx.tr(N_("Not answered")) : tr(ctx, label_of(q.field, it->second));
      if (std::string(q.field) == "ethnic_group" && it != a.equality.end()) {
        const auto* o = involvement::option_set("ethnic_group")->by_code(it->second);
        if (o && !o->group.empty()) value = ctx.tr(o->group) + ": " + value;
      }
      equality.push_back(row(ctx, q.key, {value}, q.slug, q.change_label));
    }
  }
  const auto& w = involvement::current_consent();
  return {{"you", you},
          {"equality", equality},
          {"consent_wording", ctx.tr(w.text)},
          {"organisation_name", j.organisation_name()}};
}

Response check_page(Context& ctx) {
  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) return out;
  j->change = false;
  if (const Page* p = first_unanswered(*j)) return Response::redirect(page_href(p->slug));
  json d = check_data(*j);
  d["back_href"] = page_href("consent");
  return ctx.page(200, "get_involved/check", ctx.tr(N_("Check your answers before sending them")), d);
}

Response confirmation(Context& ctx, const std::string& organisation_name, const std::string& contact_by, bool already) {
  json d = {{"organisation_name", organisation_name}, {"already", already}};
  if (!contact_by.empty()) {
    const char* by = contact_by == "post"    ? N_("by post")
                     : contact_by == "text"  ? N_("by text message")
                     : contact_by == "phone" ? N_("by phone")
                                             : N_("by email");
    d["contact_by"] = ctx.tr(by);
  }
  Response r = ctx.page(200, "get_involved/confirmation",
                        ctx.tr(already ? N_("Your details have already been sent")
                                       : N_("Your details have been sent")),
                        d);
  r.headers.emplace_back("Set-Cookie", make_set_cookie(kDraftCookie, "", {true, ctx.request.secure, 0}));
  return r;
}

// The confirmation again, for a draft sent already: it keeps only the organisation.
Response already_sent(Context& ctx, const Draft& draft) {
  std::string name;
  auto orgs = ctx.services.accounts.list_organisations();
  if (orgs.ok()) {
    for (const auto& o : *orgs) {
      if (draft.organisation_id && o.id == *draft.organisation_id) name = o.name;
    }
  }
  return confirmation(ctx, name.empty() ? ctx.tr(N_("the organisation")) : name, "", true);
}

Response send(Context& ctx) {
  std::string token = ctx.request.cookie(kDraftCookie);
  Drafts drafts(ctx.services.db, ctx.services.clock);
  // A second press of Send, or the same form sent twice at once, finds the
  // draft already sent and says so instead of adding the person again.
  auto existing = drafts.load(token);
  if (!existing.ok()) return ctx.error(503);
  if (*existing && (*existing)->submitted()) return already_sent(ctx, **existing);

  Response out;
  auto j = open_journey(ctx, &out);
  if (!j) {
    // The other press may have sent the draft between the two loads.
    auto now_sent = drafts.load(token);
    if (now_sent.ok() && *now_sent && (*now_sent)->submitted()) return already_sent(ctx, **now_sent);
    return out;
  }
  j->change = false;
  if (const Page* p = first_unanswered(*j)) return Response::redirect(page_href(p->slug));
  bool known =
      j->draft.organisation_id && std::any_of(j->organisations.begin(), j->organisations.end(),
                                              [&](const auto& o) { return o.id == *j->draft.organisation_id; });
  if (!known) return Response::redirect(page_href("organisation"));

  if (Response limited; over_limit(ctx, "get-involved.send", ctx.services.public_sends_per_hour, &limited)) return limited;
  auto claimed = drafts.claim(token);
  if (!claimed.ok()) {
    if (claimed.status().code() == StatusCode::kConflict) {
      auto now_sent = drafts.load(token);
      if (now_sent.ok() && *now_sent) return already_sent(ctx, **now_sent);
      return to_start(ctx, true);
    }
    if (claimed.status().code() == StatusCode::kNotFound) return to_start(ctx, true);
    return ctx.error(503);
  }
  Draft sent = *claimed;
  sent.organisation_id = j->draft.organisation_id;
  const DraftAnswers& a = sent.answers;
  involvement::People people(ctx.services.db, ctx.services.clock);
  auto person = people.add(*sent.organisation_id, a.details, "self", true, a.equality_to_store(),
                           involvement::Actor{std::nullopt, ctx.request.remote_address});
  if (!person.ok()) {
    (void)drafts.release(token, sent);
    if (person.status().code() == StatusCode::kInvalidInput) {
      // The pages check every answer, so this is rare: send the person to
      // the question with the problem.
      const std::string& field = person.status().where().field;
      std::string slug = field == "contact_by"                                ? "contact-preference"
                         : field == "lived_experience"                        ? "experience"
                         : field == "experience_other"                        ? "experience"
                         : field == "other_language"                          ? "formats"
                         : field == "access_needs" || field == "access_other" ? "access-needs"
                         : field == "care_kinds"                              ? "care-kinds"
                         : find_page(field)                                   ? field
                                                                              : "contact";
      return Response::redirect(page_href(slug, true));
    }
    return ctx.error(503);
  }
  return confirmation(ctx, j->organisation_name(), a.details.contact_by, false);
}

}  // namespace

void add_get_involved_routes(Router& router) {
  router.add({"GET", "/get-involved", Access::anyone(), Channel::kPage, start_page});
  router.add({"POST", "/get-involved", Access::anyone(), Channel::kPage, start});
  router.add({"GET", "/get-involved/easy-read", Access::anyone(), Channel::kPage, easy_read_page});
  router.add({"GET", "/get-involved/check", Access::anyone(), Channel::kPage, check_page});
  router.add({"POST", "/get-involved/check", Access::anyone(), Channel::kPage, send});
  router.add({"GET", "/get-involved/{page}", Access::anyone(), Channel::kPage, question});
  router.add({"POST", "/get-involved/{page}", Access::anyone(), Channel::kPage, question});
}

}  // namespace coproduce::web
