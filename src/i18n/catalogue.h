// Message catalogues: the words of Coproduce's pages, emails and letters in
// each language it speaks.
//
// The code and the templates are written in English, and English text is the
// key of every message (the gettext convention): each other language is one
// catalogue, po/LANG.po, compiled at build time to
// build/locale/LANG/LC_MESSAGES/coproduce.mo and read here with Boost.Locale,
// which also knows each language's plural rules from the catalogue's header.
// A new language is a new .po file; scripts/check-messages fails when a
// catalogue misses a message the code or a page uses.
#ifndef COPRODUCE_I18N_CATALOGUE_H_
#define COPRODUCE_I18N_CATALOGUE_H_

#include <initializer_list>
#include <locale>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/translatable.h"

namespace coproduce::i18n {

// The language every message is written in, and the one used when nothing
// else is asked for.
inline constexpr std::string_view kEnglish = "en";

struct Language {
  std::string code;  // a BCP 47 primary tag: "en", "cy"
  std::string name;  // in the language itself: "English", "Cymraeg"
};

class Catalogues {
 public:
  // English alone.
  Catalogues();

  // English and every catalogue under `dir` (LANG/LC_MESSAGES/coproduce.mo).
  // A missing folder gives English alone; a catalogue that cannot be read is
  // an error naming its file.
  static StatusOr<std::shared_ptr<const Catalogues>> load(const std::string& dir);

  // English first, then the others by code.
  const std::vector<Language>& languages() const { return languages_; }
  bool has(std::string_view code) const;
  // The language's own name, or the code when it is not known.
  std::string name(std::string_view code) const;

  // `english` in language `code`: the English itself when the language is
  // English, unknown, or has no translation for it.
  std::string text(std::string_view code, std::string_view english) const;
  // The form for `n` of a message with a singular and a plural in English,
  // with each "{n}" replaced by n. Languages with more forms (Welsh has six)
  // choose by their own rule.
  std::string plural(std::string_view code, std::string_view singular, std::string_view plural_form, long n) const;

  // A date (YYYY-MM-DD) written out in language `code`, as its speakers
  // write it ("3 Mawrth 2026"; with `weekday`, "Dydd Mawrth 3 Mawrth 2026"),
  // from ICU's data for the language. English, or an unknown language or an
  // invalid date, gives "" so the caller keeps its own English wording.
  std::string long_date(std::string_view code, const std::string& iso, bool weekday = false) const;

  // The language of these an Accept-Language header prefers most, or "" when
  // it names none of them.
  std::string negotiate(std::string_view accept_language) const;

 private:
  std::vector<Language> languages_;
  std::map<std::string, std::locale, std::less<>> locales_;  // not English
};

// The catalogues the running program speaks, for code far from any page
// (emails and letters written by background jobs). serve installs them once
// at start, before any thread reads them; until then, English alone.
void install(std::shared_ptr<const Catalogues> catalogues);
std::shared_ptr<const Catalogues> installed();

// `text` with every {name} replaced by its value: how a translated
// message gets its numbers and names. A name the text lacks (a translator
// left it out) is skipped, never an error.
std::string fill(std::string text, std::initializer_list<std::pair<std::string_view, std::string>> values);

// Runs of spaces, tabs and line ends made one space, and none at either end:
// a message in a template is looked up by this form of its text, so the way
// a template is laid out never changes what a translator sees.
std::string collapse_space(std::string_view text);

}  // namespace coproduce::i18n

#endif  // COPRODUCE_I18N_CATALOGUE_H_
