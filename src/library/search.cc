#include "library/search.h"

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "activities/activities.h"
#include "involvement/groups.h"
#include "library/vocab.h"
#include "store/text_index.h"

namespace coproduce::library {
namespace {

using store::Connection;
using store::Row;
using store::Value;

constexpr const char* kIndexName = "library_case_study_text";
constexpr int kTitle = 0, kSummary = 1, kBody = 2;  // the index's fields, in this order
constexpr size_t kMaxQueryBytes = 1000;             // of q; the rest is ignored
constexpr size_t kMaxTerms = 32;                    // words or phrases of q; the rest are ignored
constexpr int kMaxPerPage = 100;
constexpr int kSnippetWords = 32;

const std::vector<store::TextField>& index_fields() {
  // A word in the title counts ten times one in the story: the title says
  // what the case study is about, the story mentions much in passing.
  static const std::vector<store::TextField> kFields = {{"title", 10}, {"summary", 4}, {"body", 1}};
  return kFields;
}

// ---- Reading what was typed ----------------------------------------------

// The next code point of UTF-8 `s` from `*i`, moving `*i` past it; a byte
// that does not start a valid sequence is taken as itself.
char32_t next_code_point(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || *i + extra >= s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *i += extra + 1;
  return cp;
}

bool is_quote(char32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E; }
bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B);
}
// Within a word: letters and digits, and any character beyond ASCII but the
// hyphens, dashes, apostrophes and ellipsis people type between words.
bool is_word_character(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  return !(cp >= 0x2010 && cp <= 0x2019) && cp != 0x2026 && !is_space(cp) && !is_quote(cp);
}

// A run of q between spaces ("co-production", "well-being") or a quoted
// phrase, as the words in it, ASCII letters in lower case.
struct Unit {
  std::vector<std::string> words;
  bool quoted = false;
};

std::vector<Unit> read_units(std::string_view q) {
  std::vector<Unit> units;
  Unit unit;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) unit.words.push_back(std::move(word));
    word.clear();
  };
  auto end_unit = [&](bool quoted_next) {
    end_word();
    if (!unit.words.empty()) units.push_back(std::move(unit));
    unit = Unit();
    unit.quoted = quoted_next;
  };
  bool in_quotes = false;
  for (size_t i = 0; i < q.size();) {
    size_t start = i;
    char32_t cp = next_code_point(q, &i);
    if (is_quote(cp)) {
      in_quotes = !in_quotes;
      end_unit(in_quotes);
    } else if (is_space(cp)) {
      if (in_quotes)
        end_word();
      else
        end_unit(false);
    } else if (is_word_character(cp)) {
      if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      if (cp < 0x80)
        word += static_cast<char>(cp);
      else
        word.append(q.substr(start, i - start));
    } else {
      end_word();
    }
  }
  end_unit(false);  // an unbalanced quote runs to the end
  return units;
}

// 'co-production', 'coproduction' and 'co production', and every other
// form of the word (co-produce, coproduced, co-producing): the alternatives
// that find each of them, whichever way it was written in the case study.
// The porter stemmer turns "production" into "product" and "produced" into
// "produc", so the prefix "produc" (and "coproduc") covers them all.
store::TextTerm coproduction_term() {
  return {store::TextAlternative{{"coproduc"}, true}, store::TextAlternative{{"co", "produc"}, true}};
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

store::TextTerm single(std::vector<std::string> words) { return {store::TextAlternative{std::move(words), false}}; }

// A phrase the person quoted: as typed, and with each form of co-production
// also written the other way ("co-production week" also finds
// "coproduction week").
store::TextTerm quoted_term(const std::vector<std::string>& words) {
  std::vector<std::string> joined, split;
  bool changed = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "co" && i + 1 < words.size() && starts_with(words[i + 1], "produc")) {
      joined.push_back("co" + words[i + 1]);
      split.push_back("co");
      split.push_back(words[i + 1]);
      changed = true;
      ++i;
    } else if (starts_with(w, "coproduc")) {
      joined.push_back(w);
      split.push_back("co");
      split.push_back(w.substr(2));
      changed = true;
    } else {
      joined.push_back(w);
      split.push_back(w);
    }
  }
  if (!changed) return single(words);
  return {store::TextAlternative{joined, false}, store::TextAlternative{split, false}};
}

// What q asks for: each quoted phrase, each run between spaces (its words
// as a phrase), and each form of co-production, are terms the case study
// must all hold.
store::TextQuery text_query(std::string_view q) {
  if (q.size() > kMaxQueryBytes) {
    size_t cut = kMaxQueryBytes;
    while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
    q = q.substr(0, cut);
  }
  std::vector<Unit> units = read_units(q);
  store::TextQuery query;
  for (size_t u = 0; u < units.size(); ++u) {
    if (units[u].quoted) {
      query.terms.push_back(quoted_term(units[u].words));
      continue;
    }
    std::vector<std::string> pending;
    auto flush = [&] {
      if (!pending.empty()) query.terms.push_back(single(std::move(pending)));
      pending.clear();
    };
    const std::vector<std::string>& words = units[u].words;
    for (size_t i = 0; i < words.size(); ++i) {
      if (starts_with(words[i], "coproduc")) {
        flush();
        query.terms.push_back(coproduction_term());
      } else if (words[i] == "co" && i + 1 < words.size() && starts_with(words[i + 1], "produc")) {
        flush();
        query.terms.push_back(coproduction_term());
        ++i;
      } else if (words[i] == "co" && i + 1 == words.size() && u + 1 < units.size() && !units[u + 1].quoted &&
                 starts_with(units[u + 1].words.front(), "produc")) {
        // "co production": the next unit starts with the rest of the word.
        flush();
        query.terms.push_back(coproduction_term());
        units[u + 1].words.erase(units[u + 1].words.begin());
      } else {
        pending.push_back(words[i]);
      }
    }
    flush();
  }
  if (query.terms.size() > kMaxTerms) query.terms.resize(kMaxTerms);
  return query;
}

// ---- Safe HTML -------------------------------------------------------------

void append_escaped(std::string* out, char ch) {
  switch (ch) {
    case '&':
      *out += "&amp;";
      break;
    case '<':
      *out += "&lt;";
      break;
    case '>':
      *out += "&gt;";
      break;
    case '"':
      *out += "&quot;";
      break;
    case '\'':
      *out += "&#39;";
      break;
    default:
      *out += ch;
  }
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    if (ch == store::kMatchStart || ch == store::kMatchEnd) continue;
    append_escaped(&out, ch);
  }
  return out;
}

// A snippet from the index as HTML: the text escaped, each match in
// <mark>. A stray mark (none should come) is dropped, so the tags balance.
std::string snippet_html(std::string_view snippet) {
  std::string out;
  out.reserve(snippet.size() + 32);
  bool open = false;
  for (char ch : snippet) {
    if (ch == store::kMatchStart) {
      if (!open) out += "<mark>";
      open = true;
    } else if (ch == store::kMatchEnd) {
      if (open) out += "</mark>";
      open = false;
    } else {
      append_escaped(&out, ch);
    }
  }
  if (open) out += "</mark>";
  return out;
}

// ---- Counting --------------------------------------------------------------

enum Facet { kSetting, kRung, kPrinciple, kAreaOfCare, kOrganisation, kFacets };
constexpr std::array<const char*, kFacets> kFacetNames = {"setting", "rung", "principle", "area_of_care",
                                                          "organisation"};

// A timestamp ("2026-06-15T10:00:00Z") as a number that sorts the same way:
// its first 18 digits, padded with zeros.
int64_t time_key(std::string_view timestamp) {
  int64_t key = 0;
  int digits = 0;
  for (char ch : timestamp) {
    if (ch < '0' || ch > '9') continue;
    if (digits == 18) break;
    key = key * 10 + (ch - '0');
    ++digits;
  }
  for (; digits < 18; ++digits) key *= 10;
  return key;
}

struct Candidate {
  int64_t id = 0;
  int64_t time = 0;  // time_key of published_at, else updated_at
  double score = 0;  // lower is better
};

// The page's order: best score first (all equal without q), then newest,
// then the latest added.
bool before(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score < b.score;
  if (a.time != b.time) return a.time > b.time;
  return a.id > b.id;
}

std::vector<FacetCount> vocabulary_facet(const activities::Choices& choices,
                                         const std::unordered_map<std::string, int64_t>& counts,
                                         const std::string& selected) {
  std::vector<FacetCount> out;
  for (const auto& [code, label] : choices) {
    auto it = counts.find(code);
    int64_t n = it == counts.end() ? 0 : it->second;
    if (n > 0 || code == selected) out.push_back({code, label, n, code == selected});
  }
  // Codes outside the vocabulary (from another site's feed), after it.
  std::vector<FacetCount> others;
  for (const auto& [code, n] : counts)
    if (!code.empty() && n > 0 && !activities::is_choice(choices, code)) others.push_back({code, code, n, false});
  std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
  for (auto& o : others) {
    o.selected = o.value == selected;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<FacetCount> named_facet(const std::unordered_map<std::string, int64_t>& counts,
                                    const std::string& selected) {
  std::vector<FacetCount> out;
  for (const auto& [name, n] : counts)
    if (!name.empty() && n > 0) out.push_back({name, name, n, name == selected});
  if (!selected.empty() && !counts.count(selected)) out.push_back({selected, selected, 0, true});
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  return out;
}

// ---- SQL -------------------------------------------------------------------

// A principle's bit in the mask the pass reads: its place in principles().
std::string principle_mask_sql() {
  std::string sql = "(SELECT SUM(CASE p.principle";
  int bit = 1;
  for (const auto& [code, label] : principles()) {
    sql += " WHEN '" + code + "' THEN " + std::to_string(bit);
    bit *= 2;
  }
  sql += " ELSE 0 END) FROM library_case_study_principles p WHERE p.case_study_id = cs.id)";
  return sql;
}

// The organisation a case study comes from, as the organisation facet
// names it: the feed's organisation for one read from a feed.
constexpr const char* kOrganisationNameSql =
    "CASE WHEN cs.source_organisation <> '' THEN cs.source_organisation"
    " ELSE (SELECT o.name FROM organisations o WHERE o.id = cs.organisation_id) END";

StatusOr<std::unique_ptr<store::TextIndex>> case_study_index(const store::Dialect& dialect) {
  return store::make_text_index(dialect, kIndexName, index_fields());
}

// Ranking by bm25 costs about a microsecond a match. Words in more case
// studies than this are ranked by where they are instead (see search.h).
constexpr int64_t kRankLimit = 5'000;

// How many case studies the engine query `words` matches, whoever may see them.
StatusOr<int64_t> count_matches(Connection& c, const store::TextIndex& index, const std::string& words) {
  auto row = c.query_one("SELECT COUNT(*) FROM (" + index.matches_sql(1) + ") m", {words});
  if (!row.ok()) return row.status();
  return row->integer(0);
}

// The case studies the engine query `words` matches ("" matches none).
StatusOr<std::unordered_set<int64_t>> matching_ids(Connection& c, const store::TextIndex& index,
                                                   const std::string& words) {
  std::unordered_set<int64_t> ids;
  if (words.empty()) return ids;
  Status s = c.query_each("SELECT id FROM (" + index.matches_sql(1) + ") m", {words}, [&](const Row& r) {
    ids.insert(r.integer(0));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return ids;
}

// Runs the search on `c`.
StatusOr<SearchResult> run_search(Connection& c, store::TextIndex& index, const SearchQuery& query) {
  SearchResult result;
  const int per_page = std::clamp(query.per_page, 1, kMaxPerPage);
  result.page = std::max(query.page, 1);

  const store::TextQuery typed = text_query(query.q);
  const std::string words = index.engine_query(typed);
  const bool by_words = !words.empty();
  bool by_score = by_words && query.sort != "newest";
  bool by_place = false;  // ranked by where the words are, newest first within each place
  if (by_score) {
    auto n = count_matches(c, index, words);
    if (!n.ok()) return n.status();
    by_score = *n <= kRankLimit;
    by_place = !by_score;
  }

  // The names of the organisations whose library is searched, for the case
  // studies not read from a feed: one, or every one (a deployment has few).
  std::unordered_map<int64_t, std::string> organisation_names;
  auto keep_name = [&](const Row& r) {
    organisation_names.emplace(r.integer(0), r.text(1));
    return Status::Ok();
  };
  Status named = query.organisation_id ? c.query_each("SELECT id, name FROM organisations WHERE id = $1",
                                                      {*query.organisation_id}, keep_name)
                                       : c.query_each("SELECT id, name FROM organisations", {}, keep_name);
  if (!named.ok()) return named;

  std::vector<Value> params;
  auto param = [&params](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string from = "library_case_studies cs";
  std::string where, score = "0";
  if (by_words) {
    store::MatchColumns columns;
    columns.score = by_score;
    param(words);
    from = "(" + index.matches_sql(1, columns) + ") m CROSS JOIN library_case_studies cs";
    where = "cs.id = m.id AND ";
    if (by_score) score = "m.score";
  }
  // Which case studies may be shown at all.
  if (query.organisation_id) {
    where += "cs.organisation_id = " + param(*query.organisation_id);
    where += query.include_unpublished ? " AND cs.status IN ('published', 'draft', 'in_review')"
                                       : " AND cs.status = 'published'";
  } else {
    where += "cs.status = 'published'";
  }

  // With two filters or more, a case study failing two counts nowhere, so
  // SQL leaves it out: the sum of the filters it fails is at most 1.
  const std::array<const std::string*, kFacets> chosen = {&query.setting, &query.rung, &query.principle,
                                                          &query.area_of_care, &query.organisation};
  int64_t principle_bit = 0;  // 0: no principle chosen, or one not in the vocabulary
  for (size_t i = 0; i < principles().size(); ++i)
    if (principles()[i].first == query.principle) principle_bit = int64_t{1} << i;
  int filters = 0;
  for (const std::string* v : chosen) filters += v->empty() ? 0 : 1;
  if (filters >= 2) {
    std::string fails;
    for (int f = 0; f < kFacets; ++f) {
      if (chosen[f]->empty()) continue;
      std::string v = param(*chosen[f]);
      std::string test;
      switch (f) {
        case kSetting:
          test = "cs.setting = " + v;
          break;
        case kRung:
          test = "cs.rung = " + v;
          break;
        case kAreaOfCare:
          test = "cs.area_of_care = " + v;
          break;
        case kOrganisation:
          test = std::string(kOrganisationNameSql) + " = " + v;
          break;
        case kPrinciple:
          test =
              "EXISTS (SELECT 1 FROM library_case_study_principles fp WHERE fp.case_study_id = cs.id"
              " AND fp.principle = " +
              v + ")";
          break;
      }
      fails += (fails.empty() ? "" : " + ") + ("CASE WHEN " + test + " THEN 0 ELSE 1 END");
    }
    where += " AND (" + fails + ") <= 1";
  }

  // One pass over every case study the words (and visibility) allow: the
  // total, the count beside each filter value, and the page's candidates.
  std::string sql = "SELECT cs.id, cs.setting, cs.rung, cs.area_of_care, cs.organisation_id, cs.source_organisation, " +
                    principle_mask_sql() + ", COALESCE(cs.published_at, cs.updated_at), " + score + " FROM " + from +
                    " WHERE " + where;
  std::array<std::unordered_map<std::string, int64_t>, kFacets> counts;
  std::vector<Candidate> candidates;
  const std::string no_name;
  Status pass = c.query_each(sql, params, [&](const Row& r) {
    std::string source = r.text(5);
    const std::string* organisation = &source;
    if (source.empty()) {
      auto it = organisation_names.find(r.integer(4));
      organisation = it == organisation_names.end() ? &no_name : &it->second;
    }
    std::array<std::string, kFacets> values = {r.text(1), r.text(2), "", r.text(3), *organisation};
    int64_t mask = r.integer(6);
    int failed = -1;  // the one filter failed, if one was
    int failures = 0;
    for (int f = 0; f < kFacets; ++f) {
      if (chosen[f]->empty()) continue;
      bool ok = f == kPrinciple ? (mask & principle_bit) != 0 : values[f] == *chosen[f];
      if (!ok) {
        failed = f;
        if (++failures > 1) return Status::Ok();
      }
    }
    for (int f = 0; f < kFacets; ++f) {
      if (failures == 1 && f != failed) continue;
      if (f == kPrinciple) {
        for (size_t i = 0; i < principles().size(); ++i)
          if (mask & (int64_t{1} << i)) ++counts[f][principles()[i].first];
      } else {
        ++counts[f][values[f]];
      }
    }
    if (failures == 0) candidates.push_back({r.integer(0), time_key(r.text(7)), r.real(8)});
    return Status::Ok();
  });
  if (!pass.ok()) return pass;

  result.total = static_cast<int64_t>(candidates.size());
  result.pages = static_cast<int>((result.total + per_page - 1) / per_page);
  result.facets[kFacetNames[kSetting]] = vocabulary_facet(settings(), counts[kSetting], query.setting);
  result.facets[kFacetNames[kRung]] = vocabulary_facet(involvement::ladder_rungs(), counts[kRung], query.rung);
  result.facets[kFacetNames[kPrinciple]] = vocabulary_facet(principles(), counts[kPrinciple], query.principle);
  result.facets[kFacetNames[kAreaOfCare]] = named_facet(counts[kAreaOfCare], query.area_of_care);
  result.facets[kFacetNames[kOrganisation]] = named_facet(counts[kOrganisation], query.organisation);

  const int64_t first = static_cast<int64_t>(result.page - 1) * per_page;
  if (first >= result.total) return result;
  const int64_t last = std::min<int64_t>(first + per_page, result.total);

  if (by_place) {
    // All the words in the title first, then in the title or summary, then
    // anywhere. Listing the ids reads the index but scores nothing.
    store::TextQuery in_title = typed, in_title_or_summary = typed;
    in_title.fields = {kTitle};
    in_title_or_summary.fields = {kTitle, kSummary};
    auto title = matching_ids(c, index, index.engine_query(in_title));
    if (!title.ok()) return title.status();
    auto title_or_summary = matching_ids(c, index, index.engine_query(in_title_or_summary));
    if (!title_or_summary.ok()) return title_or_summary.status();
    for (Candidate& k : candidates) k.score = title->count(k.id) ? 0 : title_or_summary->count(k.id) ? 1 : 2;
  }

  // The page: only its candidates need sorting into place.
  std::partial_sort(candidates.begin(), candidates.begin() + last, candidates.end(), before);

  const std::string hit_sql =
      "SELECT cs.title, cs.summary, cs.setting, cs.rung, cs.area_of_care, cs.status,"
      " COALESCE(cs.published_at, ''), cs.updated_at, " +
      std::string(kOrganisationNameSql) +
      ", sub.url FROM library_case_studies cs"
      " LEFT JOIN library_subscriptions sub ON sub.id = cs.subscription_id WHERE cs.id = $1";
  std::string snippet_sql;
  if (by_words) {
    store::MatchColumns columns;
    // The summary when the words are in it, else the story around them.
    columns.snippet_fields = {kSummary, kBody};
    columns.snippet_words = kSnippetWords;
    snippet_sql = "SELECT m.snippet FROM (" + index.matches_sql(1, columns) + ") m WHERE m.id = $2";
  }
  for (int64_t i = first; i < last; ++i) {
    int64_t id = candidates[static_cast<size_t>(i)].id;
    auto row = c.query_one(hit_sql, {id});
    if (!row.ok()) return row.status();
    SearchHit h;
    h.id = id;
    h.title = row->text(0);
    h.summary = row->text(1);
    h.setting = row->text(2);
    h.rung = row->text(3);
    h.area_of_care = row->text(4);
    h.status = row->text(5);
    h.published_at = row->text(6);
    h.updated_at = row->text(7);
    h.organisation = row->text(8);
    h.source = row->optional_text(9);
    h.snippet_html = escape_html(h.summary);
    if (by_words) {
      auto snippet = c.query_one(snippet_sql, {words, id});
      if (snippet.ok())
        h.snippet_html = snippet_html(snippet->text(0));
      else if (snippet.status().code() != StatusCode::kNotFound)
        return snippet.status();
    }
    result.hits.push_back(std::move(h));
  }
  return result;
}

}  // namespace

StatusOr<SearchResult> search(store::Database& db, const SearchQuery& query) {
  auto index = case_study_index(db.dialect());
  if (!index.ok()) return index.status();
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  // Before any case study is written the index may not exist yet.
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  if (c.in_transaction()) return run_search(c, **index, query);
  // One snapshot for the counts and the page, while writers carry on.
  store::Transaction tx(c, store::TransactionMode::kRead);
  if (!tx.status().ok()) return tx.status();
  auto result = run_search(c, **index, query);
  if (!result.ok()) return result;
  if (Status s = tx.commit(); !s.ok()) return s;
  return result;
}

Status index_case_study(store::Connection& c, int64_t id, const std::string& title, const std::string& summary,
                        const std::string& body) {
  auto index = store::make_text_index(c, kIndexName, index_fields());
  if (!index.ok()) return index.status();
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  return (*index)->put(c, id, {title, summary, body});
}

Status unindex_case_study(store::Connection& c, int64_t id) {
  auto index = store::make_text_index(c, kIndexName, index_fields());
  if (!index.ok()) return index.status();
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  return (*index)->remove(c, id);
}

}  // namespace coproduce::library
