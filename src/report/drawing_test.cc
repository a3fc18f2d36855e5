// The helpers the chart builders share: numbers for SVG, the series'
// styles and the wrapping of text into lines.
#include "report/drawing.h"

#include <gtest/gtest.h>

#include <set>

namespace coproduce::report::draw {
namespace {

TEST(Coordinate, OneDecimalPlaceWithoutATrailingZero) {
  EXPECT_EQ(coordinate(44), "44");
  EXPECT_EQ(coordinate(12.5), "12.5");
  EXPECT_EQ(coordinate(12.34), "12.3");
  EXPECT_EQ(coordinate(-0.01), "0");
  EXPECT_EQ(coordinate(-3.25), "-3.2");  // printf's rounding; a tenth of a pixel
  EXPECT_EQ(fixed(2, 1), "2.0");
}

TEST(SeriesStyles, TheFirstFourSeriesDifferInColourDashAndMarker) {
  std::set<std::string_view> colours, dashes;
  std::set<Marker> markers;
  for (size_t i = 0; i < 4; ++i) {
    colours.insert(colour(i));
    dashes.insert(dash(i));
    markers.insert(marker(i));
  }
  EXPECT_EQ(colours.size(), 4u);
  EXPECT_EQ(dashes.size(), 4u);
  EXPECT_EQ(markers.size(), 4u);
  EXPECT_EQ(colour(0), "#1d70b8");
  EXPECT_EQ(dash(0), "none");  // the first series is solid
  EXPECT_EQ(colour(6), colour(0));
}

TEST(MarkerPath, EachShapeAroundItsCentre) {
  EXPECT_EQ(marker_path(Marker::kSquare, 100, 50, 4), "M96 46 h8 v8 h-8Z");
  EXPECT_EQ(marker_path(Marker::kCircle, 100, 50, 4), "M96 50 a4 4 0 1 0 8 0 a4 4 0 1 0 -8 0Z");
  EXPECT_EQ(marker_path(Marker::kTriangle, 100, 50, 5), "M100 44 L106 55 L94 55Z");
  EXPECT_EQ(marker_path(Marker::kDiamond, 100, 50, 10), "M100 37 L113 50 L100 63 L87 50Z");
}

TEST(Wrap, BreaksAtSpacesWithinTheLength) {
  struct Case {
    const char* text;
    size_t length;
    std::vector<std::string> lines;
  };
  const Case cases[] = {
      {"Volunteers' time and lived experience", 18, {"Volunteers' time", "and lived", "experience"}},
      {"Volunteers' time and lived experience", 20, {"Volunteers' time and", "lived experience"}},
      {"Short", 20, {"Short"}},
      {"", 20, {}},
      {"   ", 20, {}},
      {"  many   spaces\nand\tbreaks ", 40, {"many spaces and breaks"}},
      {"exactly ten", 11, {"exactly ten"}},
      {"exactly ten", 10, {"exactly", "ten"}},
      // A word longer than a line is cut across lines.
      {"a supercalifragilistic word", 8, {"a", "supercal", "ifragili", "stic", "word"}},
      {"abcdefgh", 4, {"abcd", "efgh"}},
      // Characters, not bytes: "é" is one.
      {"café café café", 9, {"café café", "café"}},
  };
  for (const Case& c : cases) EXPECT_EQ(wrap(c.text, c.length), c.lines) << c.text << " in " << c.length;
}

TEST(TextWidth, GrowsWithCharactersNotBytes) {
  EXPECT_DOUBLE_EQ(text_width("abcd", 10), 22);
  EXPECT_DOUBLE_EQ(text_width("café", 10), 22);
}

}  // namespace
}  // namespace coproduce::report::draw
