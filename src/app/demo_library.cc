// The demonstration's library: a dozen made-up case studies of co-production
// from Brightwater's council, care home, home care agency, supported living,
// the local NHS trust, a peer-led charity and the bus company. They span
// every setting and most rungs of the ladder, including two honest ones
// from the lower rungs, each told in six parts with outcomes and an Easy
// Read version. Most are published over the past two years; one was drafted
// from the Carers' Partnership Board's own records and approved by a member
// who agreed to be credited; one waits for the demonstration participant's
// review (at /my-reviews); one is a draft and one has been withdrawn.
//
// Everything goes through library::CaseStudies, so the search index, the
// feed and the audit trail see the demo as they would see a lead's work.
// Each story is one Markdown text with the story_sections() headings, read
// with story_from_markdown(). Raw strings start at column 0: indented lines
// would be Markdown code blocks.
#include "app/demo_library.h"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "activities/activities.h"
#include "involvement/groups.h"
#include "involvement/people.h"
#include "library/case_studies.h"
#include "library/case_study.h"
#include "library/group_record.h"

namespace coproduce::app {
namespace {

constexpr const char* kParticipantEmail = "demo-participant@example.org";

struct DemoStudy {
  const char* title;
  const char* summary;
  const char* setting;
  const char* area_of_care;
  const char* rung;
  std::vector<std::string> principles;
  library::PeopleInvolved people;
  const char* story;  // Markdown under "## <story_sections() heading>" lines
  const char* outcomes;
  const char* easy_read;
  const char* contact;
  // "published", "withdrawn", "draft", or "in_review" (asked of the
  // demonstration participant).
  const char* status;
  int days_ago;  // when it was published (or last worked on)
};

const std::vector<DemoStudy>& demo_studies() {
  static const std::vector<DemoStudy> k = {
      // ---------------------------------------------------------------- care home
      {"Mealtimes that feel like home: residents living with dementia redesign the dining room",
       "At Oakfield Care Home, residents living with dementia, their families and kitchen and care staff worked as "
       "equals for six months to change how, when and where meals happen. Residents now eat more, and far fewer "
       "meals go back untouched.",
       "care_home", "Dementia", "co_production", {"accessibility", "equality", "reciprocity"}, {9, 11, 8},
       R"md(## What needed to change
Meals at Oakfield were served at fixed times from a trolley, with a printed menu that many residents could not read or remember. Staff noticed that several residents living with dementia were losing weight, and families told us mealtimes felt rushed and noisy. The home's own check found almost a third of main courses came back half eaten. We knew a survey would not fix this: the people who knew most about it found surveys hardest.

## Who was involved and how they were found
We asked every resident and family at the monthly coffee morning, and put a notice in the newsletter in large print. Nine residents living with dementia took part, most with a relative alongside. Eleven relatives, two cooks, the activities coordinator and five care staff joined them. A dementia nurse from the community team helped us plan sessions that worked for people whose memory changes from day to day.

## What was done together
Instead of meetings, we held 'taste and talk' sessions at the dining tables, with food to try and picture cards to point at. Over six months the group:

- tried show plates, so people could choose by seeing and smelling the food
- chose plates and cups in colours that stand out against the table
- moved lunch to a flexible hour, with a quieter second sitting
- wrote a 'what I like to eat' page for each resident's care plan, with their family

Residents' choices decided each change. Staff made the changes and reported back at the next session.

## What changed as a result
Half-eaten main courses fell from about 30% to 12% in three months. Four of the six residents who had been losing weight are now stable or gaining. The dining room is calmer, and two residents who used to eat in their rooms now come to lunch most days. Staff say the 'what I like to eat' pages are the most useful part of the care plan.

## What it cost
About £2,400 in all: £900 for new plates, cups and tablecloths, £650 for food for the tasting sessions, and £850 paying relatives for their time and travel at the council's involvement rate of £20 an hour. Staff time came from the normal rota, with one extra cook's shift a week for the six months.

## What we learned
Picture cards and real food told us far more than any question we asked. We should have involved night staff sooner: breakfast was the meal they knew best. Some families found it hard when their relative's wishes were different from their own, and we needed a gentle way to keep the resident's voice first.)md",
       R"md(- Half-eaten main courses down from about **30% to 12%**
- **4 of 6** residents who were losing weight now stable or gaining
- **2** residents back at the dining table most days
- A 'what I like to eat' page in **all 38** residents' care plans)md",
       R"md(Oakfield is a care home.

Some people who live there have dementia.

Dementia makes it hard to remember things.

Mealtimes at Oakfield were rushed and noisy.

Some people did not eat enough.

People who live there helped us change mealtimes.

Their families helped too.

We tasted food together and talked about it.

People chose new plates and cups in bright colours.

Now people can see and smell the food before they choose.

Lunch is calmer now.

People eat more of their food.)md",
       "Oakfield Care Home, through the council's co-production team: library@brightwater.example", "published",
       610},

      // ---------------------------------------------------------------- home care
      {"Visits at the times people want: redesigning home care rotas with the people who receive them",
       "People who draw on home care, their families and care workers at Brightwater Home Care designed a new way of "
       "planning visit times. People now choose a one-hour window for each visit, and late visits have more than "
       "halved.",
       "home_care", "Older people", "co_design", {"accessibility", "equality"}, {14, 6, 11},
       R"md(## What needed to change
People told us the worst thing about home care was not knowing when the care worker would arrive. Some were got up at 7am when they wanted to sleep, or put to bed at 7pm on summer evenings. Care workers were unhappy too: rotas left too little time to travel, so they were always late and always apologising. Complaints about timing were more than half of all complaints to the agency.

## Who was involved and how they were found
We wrote to everyone who receives care from the agency, in large print and Easy Read, and rang the people who do not usually reply. Fourteen people who draw on care and six family carers joined the design group; some took part by phone from home. Nine care workers and two rota coordinators joined them, paid for their time.

## What was done together
The group met eight times over four months, at a step-free community centre and by phone. Together they:

- mapped a week of visits on a big board, to see where the rota broke down
- agreed that people choose a one-hour window for each visit, not an exact time
- set a rule of at least ten minutes' travel between visits, checked by the rota software
- wrote a short script for care workers to ring ahead when they will be more than 15 minutes late

Care workers tried the new rota on two rounds for six weeks before it went agency-wide.

## What changed as a result
Visits more than 30 minutes late fell from 22% to 9% in six months. Complaints about timing halved. People say they can plan their day again, and care workers say they feel less stressed at the end of a shift. Two care workers who had handed in their notice decided to stay.

## What it cost
£3,150: £1,680 in involvement payments and £420 in travel and phone top-ups for people who draw on care and carers, £600 for the venue and lunches, and £450 to change settings in the rota software. Care workers' time was paid as normal hours.

## What we learned
Bringing care workers and the people they visit into the same room changed the conversation: each side saw the other's problem. We call this co-design, not co-production, because the agency's managers kept the final say on the rota rules. Next time we would agree at the start who decides what.)md",
       R"md(- Visits more than 30 minutes late: **22% down to 9%**
- Complaints about visit times: **halved**, from 31 to 15 in six months
- **Everyone** who receives care now chooses a one-hour window for each visit)md",
       R"md(Brightwater Home Care helps people at home.

Care workers often came at the wrong time.

People did not know when they would come.

People who get care helped us fix this.

Their families and care workers helped too.

Now you choose a time for each visit.

Care workers have more time to travel between visits.

If they are late, they ring you.

Care workers are late much less often now.)md",
       "Brightwater Home Care, through the council's co-production team: library@brightwater.example", "published",
       480},

      // ---------------------------------------------------------------- housing (supported living)
      {"Our staff, our choice: tenants with a learning disability recruit their own support workers",
       "Tenants at Riverside Supported Living now sit on every interview panel for the staff who support them. They "
       "wrote the questions, they are paid for their time, and their score counts as much as the manager's.",
       "housing", "Learning disability", "co_production", {"equality", "reciprocity", "accessibility"}, {7, 3, 5},
       R"md(## What needed to change
Tenants at Riverside told us they often met a new support worker for the first time when that person turned up to help them wash or cook. Staff turnover was high: one in three new workers left within six months. Tenants said the workers who stayed were the ones who "talked to us, not about us", and they wanted a say in who was chosen.

## Who was involved and how they were found
All eleven tenants were asked at their house meetings, with Easy Read information and a short video. Seven said yes. Three family members joined to support tenants who wanted help, and the service manager, two senior support workers and someone from human resources made up the rest of the group. A local self-advocacy group ran two sessions on interviewing.

## What was done together
Tenants and staff designed the new way of recruiting together, and tenants led on what makes a good support worker. They:

- wrote six interview questions in their own words, such as "What would you do if I was sad?"
- added a 'meet the tenants' part, where candidates make a drink with a tenant
- made a scoring sheet with pictures, where the tenants' score counts as one full vote
- agreed that tenants are paid £20 an hour on interview days, like any other involvement

The whole group makes decisions about the process, and tenants can change it each year.

## What changed as a result
Tenants have sat on 14 interview panels in the past year. Of the 9 workers appointed, 8 were still in post after six months, compared with about two in three before. Tenants say they feel more in charge of their own homes. Two tenants now help tenants at other services learn to interview.

## What it cost
£1,960: £1,120 in tenants' payments for interview and planning days, £540 for the self-advocacy group's sessions, and £300 for the Easy Read information and video. Some tenants chose vouchers instead of money, after advice about their benefits.

## What we learned
Payments need care: before anyone was paid we checked with each tenant, and their family if they wanted, how it might affect their benefits. Time with the tenants told us more about a candidate than any interview question. We had to stop ourselves tidying tenants' questions into 'proper' interview language, because their own words worked better.)md",
       R"md(- Tenants on **14** interview panels in a year
- **8 of 9** new workers still in post after six months (before: about 2 in 3)
- **2** tenants now train tenants at other services)md",
       R"md(Riverside is where some people with a learning disability live.

They are called tenants.

Staff help tenants at home.

Tenants wanted to choose their own staff.

Now tenants help to interview new staff.

Tenants wrote the questions.

Tenants get paid for this work.

Their vote counts as much as the manager's vote.

New staff stay longer now.)md",
       "Riverside Supported Living, through the council's co-production team: library@brightwater.example",
       "published", 420},

      // ---------------------------------------------------------------- NHS (mental health)
      {"A crisis plan people actually use: redesigned with people who have been in a mental health crisis",
       "The community mental health team and people with lived experience of crisis redesigned the crisis plan "
       "together. The new plan is two pages long, in the person's own words, and far more people now have one they "
       "know about and keep with them.",
       "nhs", "Mental health", "co_design", {"accessibility", "equality", "reciprocity"}, {12, 4, 7},
       R"md(## What needed to change
A check by Brightwater and District NHS Foundation Trust found that only one in four people supported by the community mental health team had a crisis plan they knew about. The form was eleven pages long, written by professionals and kept in the records system. People said that in a crisis they could not find it, and that it did not sound like them.

## Who was involved and how they were found
The trust's peer support workers invited people through the recovery college, a local mental health charity and posters in waiting rooms. Twelve people with lived experience of crisis took part, with four family members and carers. Seven staff joined them: two community mental health nurses, a psychiatrist, a social worker, two peer support workers and a nurse from the crisis team.

## What was done together
Over five workshops, the group took the old form apart and built a new one from what people said they need in a crisis. The new plan:

- fits on two pages and on a phone screen
- starts with "What helps me" and "What makes things worse", in the person's own words
- lists who to call, in order, with numbers that work out of hours
- is written with the person, who keeps a copy, and shared with the crisis team if they agree

Peer support workers then tried it with 20 people before the trust took it up.

## What changed as a result
Six months on, 61% of people supported by the team have a crisis plan they know about, up from 24%. The crisis team say the plans help them respond in the way the person wants. People say the new plan "sounds like me".

## What it cost
£4,200: £2,300 in involvement payments at £20 an hour, £600 for travel, £800 for design and printing, and £500 for a quiet venue with a room to take a break in. Staff time came from the team's service improvement work.

## What we learned
Some sessions were hard to sit through. We needed a quiet room and a peer supporter on hand every time, and we paid people in full whether or not they stayed to the end. The clinicians said changing the form changed how they talk with people about crisis. We call this co-design because the trust's governance group kept the final sign-off.)md",
       R"md(- People who know they have a crisis plan: **24% → 61%** in six months
- Plan cut from **11 pages to 2**
- Tried with **20 people** before it was used across the trust)md",
       R"md(A crisis is when your mental health gets very bad very fast.

A crisis plan says what helps you in a crisis.

The old crisis plan was too long.

People could not find it when they needed it.

People who have had a crisis helped make a new plan.

The new plan is short.

It uses your own words.

It says who to call.

You keep a copy.

Many more people have a crisis plan now.)md",
       "Community mental health team, Brightwater and District NHS Foundation Trust (fictional): "
       "library@brightwater.example",
       "published", 350},

      // ---------------------------------------------------------------- voluntary and community (autism)
      {"Autistic adults rewrite the council's guide to a care needs assessment",
       "The Brightwater Autism Network, a peer-led charity, worked with the council's assessment team to co-produce a "
       "guide and a new way of arranging assessments. Autistic adults led the work, chose its priorities and were "
       "paid for their time.",
       "voluntary_community", "Autism", "co_production", {"accessibility", "diversity", "reciprocity"}, {10, 2, 4},
       R"md(## What needed to change
Autistic adults told the Brightwater Autism Network that a care needs assessment was one of the most stressful things they had been through. Letters gave no idea of what would happen, assessors came at short notice, and questions were asked out loud with no time to think. Several people gave up part way through, and so missed support they were entitled to.

## Who was involved and how they were found
The network's members chose this as their project for the year. Ten autistic adults led the work and two family members joined them. The council's assessment team sent a team manager and three social workers. Members chose how to take part: in person, by email or in a shared document.

## What was done together
The group met every three weeks for five months, in a quiet room with soft lighting, a clear agenda sent a week before and no surprise guests. Together they:

- wrote a plain guide to what happens at an assessment, with photos of the assessors
- agreed that people can have the questions in writing beforehand, and answer in writing
- set a rule that visit times are confirmed in writing at least a week ahead
- trained the whole assessment team, with autistic members leading the training

Members set the agenda. Before the work began, the council agreed to put in place whatever the group decided, unless it broke the law.

## What changed as a result
Since the changes, no autistic adult has left an assessment part way through, compared with seven the year before. The guide is now offered to everyone having an assessment, because other people asked for it too. The assessment team say they now ask fewer, better questions.

## What it cost
£3,600: £2,000 paid to members for their time and £900 for the training they led, at the council's involvement rates, £400 for printing and £300 for the venue. The council's staff time came from its training budget.

## What we learned
Agreeing at the start that the council would act on the group's decisions made this real co-production, and it made members trust the work. Written answers were used far more than we expected, by autistic and non-autistic people alike. We learned to plan for people taking part in different ways, rather than fitting everyone into one kind of meeting.)md",
       R"md(- Assessments stopped part way through: **7 → 0** in a year
- **All 28** assessment staff trained by autistic members
- The guide is now offered to **everyone** having an assessment)md",
       R"md(Autistic people can find new places and people hard.

An assessment is a meeting about the care you need.

Autistic people said assessments were very stressful.

Autistic people helped change assessments.

They wrote a guide to what happens.

You can get the questions before the meeting.

You can answer in writing if you want.

You get told the time a week before.

Autistic people trained the staff.

Nobody has left an assessment early since then.)md",
       "Brightwater Autism Network (fictional) and the council's assessment team: library@brightwater.example",
       "published", 290},

      // ---------------------------------------------------------------- housing (homelessness)
      {"Letters people can read: rewriting homelessness decision letters with people who have been homeless",
       "People who have been homeless worked with the council's housing options team to rewrite the letters it "
       "sends. The new letters are shorter, say what happens next, and far fewer people miss the deadline to ask for "
       "a review.",
       "housing", "Homelessness", "co_design", {"accessibility", "diversity", "equality"}, {8, 0, 5},
       R"md(## What needed to change
When someone asks the council for help because they are homeless, the law says some decisions must be given in writing. Our letters were four to six pages of legal wording. People at the day centre told us they could not understand them, and some missed the 21-day deadline to ask for a review because they did not know it was there.

## Who was involved and how they were found
We asked through the day centre, a hostel and a women's refuge, with a simple flyer and a worker to talk it through. Eight people who had been homeless in the last two years took part, two of whom speak English as a second language. Five staff took part: two housing options officers, a team leader, a legal adviser and the day centre manager.

## What was done together
We met four times at the day centre, over lunch. The group read the old letters line by line, marking what made sense and what did not, then rewrote them with the legal adviser making sure nothing the law requires was lost. The new letters:

- give the decision and what it means in the first three lines
- put the review deadline in a box on the first page, with the date written out
- say what happens next and who to call, with a direct phone number
- come with a one-page summary in the person's own language when needed

## What changed as a result
Review requests made after the deadline fell from 14 in the year before to 3. Housing officers spend less time explaining letters on the phone. Staff at the day centre say people bring letters in to ask what they mean much less often.

## What it cost
£1,280: £640 paid to participants at £20 an hour, £240 for lunches, £200 for travel and £200 to translate the summary into four languages. The legal adviser's time was part of their job.

## What we learned
We had assumed the law would stop us changing much. In fact, almost all of it could be said more plainly. Meeting where people already were, at the day centre, mattered. We call this co-design because the council's legal team had to approve the final wording, and we told the group that at the start.)md",
       R"md(- Late review requests: **14 → 3** a year
- Decision letters cut from **4–6 pages to 2**
- Summaries in **4** languages)md",
       R"md(The council helps people who have no home.

The council writes letters to say what it has decided.

The letters were long and hard to read.

Some people missed an important date.

People who have had no home helped rewrite the letters.

The new letters are short.

The important date is in a box on the first page.

The letters say who to call.

Fewer people miss the date now.)md",
       "Housing options team, Brightwater Borough Council: library@brightwater.example", "published", 230},

      // ---------------------------------------------------------------- other (transport)
      {"Ramps that work: wheelchair users and the bus company",
       "Disabled people who use wheelchairs and mobility scooters met the bus company and the council's transport "
       "team about getting to day services and appointments. The bus company acted on several of their ideas, but "
       "the group had no say in the final plan.",
       "other", "Physical disability", "engagement", {"accessibility", "equality"}, {11, 3, 4},
       R"md(## What needed to change
Disabled people told the council's disability forum that they often could not get on the bus: the ramp was broken, the driver did not stop, or the wheelchair space was full. Missing the bus meant missing day services, hospital appointments and work. The council's own survey found that one in three wheelchair users had been left at a stop in the past month.

## Who was involved and how they were found
The council's transport team invited members of the disability forum and a local wheelchair users' group. Eleven wheelchair and scooter users and three carers came. Brightwater Buses sent its operations manager, a driver trainer and a driver, and the council sent a transport planner.

## What was done together
There were three meetings and a 'ride along', where disabled people and bus managers travelled a route together. People set out what went wrong and suggested fixes. The bus company then chose what to do:

- check every ramp each morning before buses leave the depot
- take a bus off the road when its ramp is reported broken
- new driver training, with wheelchair users filmed telling their own stories

The bus company decided its plan on its own after the meetings, so we call this engagement, not co-design.

## What changed as a result
Reports of broken ramps fell from about 20 a month to 5. All drivers now have training that includes disabled people's own accounts. But people say the wheelchair space is still often full, and the group's idea of a second space on busy routes was turned down on cost.

## What it cost
£980: £560 paid to participants, £200 for accessible taxis to the meetings and £220 for room hire and lunch. The bus company paid for its own staff and the filming.

## What we learned
The ride along did more than the meetings: managers saw the problem for themselves. Because the bus company kept every decision, some people felt their best idea was ignored. Next time we would agree with the company, before we start, which decisions disabled people will share.)md",
       R"md(- Broken-ramp reports: about **20 a month → 5**
- **All 140** drivers trained, using disabled people's own stories
- A second wheelchair space on busy routes: **not agreed** (on cost))md",
       R"md(Some people use a wheelchair or a scooter.

They often could not get on the bus.

The ramp was broken or the driver did not stop.

Wheelchair users met the bus company.

They rode a bus together.

Now the ramps are checked every morning.

Drivers have new training.

Ramps break much less often now.

The bus company made the final choices.

Some good ideas were not used.)md",
       "Transport team, Brightwater Borough Council: library@brightwater.example", "published", 170},

      // ---------------------------------------------------------------- NHS (an honest lower rung)
      {"Telling people is not involving them: what we learned from the hospital discharge leaflet",
       "When the hospital changed how older people leave hospital, we wrote a leaflet and held sessions to tell "
       "people about it. People told us clearly that this was too little, too late. This is what we learned.",
       "nhs", "Hospital discharge", "informing", {"accessibility"}, {30, 25, 6},
       R"md(## What needed to change
The hospital and the council changed how older people leave hospital: people now go home sooner, and their care is assessed at home rather than on the ward. Managers from both organisations decided the change. We needed older people and their families to understand it, and we thought a good leaflet would be enough.

## Who was involved and how they were found
We held three information sessions at community centres, advertised through GP surgeries and the council's older people's forum. About 30 older people and 25 family carers came. Six staff from the hospital's discharge team and the council's reablement service explained the changes and answered questions.

## What was done together
Honestly, not much was done together. Staff explained the new process and handed out the leaflet, and people asked questions. We wrote down the questions and worries, and afterwards changed the leaflet to answer the most common ones:

- what happens if no carer is free on the day I go home
- who do I call on the first night
- will the care at home cost me money

## What changed as a result
The leaflet is clearer, and the number to call on the first night is now on the front. But families told us they felt the decision had been made without them, and some still do not trust the new process. Complaints about discharge did not fall in the first six months.

## What it cost
About £1,100: £700 for printing and £400 for venues and refreshments. We did not pay people for their time, which we now think was wrong.

## What we learned
Sometimes people need information, but informing them is not co-production, and people could tell. Families raised problems, like the first night at home, that would have shaped the new process if we had asked them sooner. The hospital and the council have agreed that the next change to discharge will start with a co-design group of people who have been through it, paid for their time.)md",
       R"md(- **55** people reached through three sessions
- Leaflet rewritten to answer the **3** most common worries
- Complaints about discharge: **no change** in six months
- Agreed: the next change to discharge starts with **co-design**)md",
       R"md(The hospital changed how older people go home.

Managers made this choice on their own.

We wrote a leaflet to tell people about it.

We held meetings to explain it.

People said we should have asked them first.

They had good ideas we did not hear in time.

We changed the leaflet.

Next time, people will help plan the change from the start.

We will pay them for their time.)md",
       "Hospital discharge team, Brightwater and District NHS Foundation Trust (fictional): "
       "library@brightwater.example",
       "published", 120},

      // ---------------------------------------------------------------- council (in review)
      {"The same twenty voices: what our forum taught us about consultation",
       "For years the Adult Social Care Forum was how the council heard from people who draw on care. When we "
       "looked at who came, we found the same small group answering every consultation. We are changing how we "
       "find people, starting with a new carers' board.",
       "local_authority", "Adult social care", "consultation", {"diversity", "equality"}, {14, 6, 3},
       R"md(## What needed to change
The forum met every month and the council consulted it on most big changes. Members gave their time generously and their views were valued. But when we looked at who took part, nearly every meeting was made up of the same people: older, whiter and more often involved already than the people who draw on adult social care in Brightwater.

## Who was involved and how they were found
The forum's twenty members are people who draw on care and carers, many of them members for years. Staff from the council's commissioning team brought questions to the meetings. With the forum's agreement, we looked at a year of attendance and equality monitoring recorded in Coproduce.

## What was done together
The council consulted the forum at twelve meetings over the year. Members commented on draft plans, including the charging policy, the day services review and the carers' strategy. The council made the decisions and reported back on which comments it took up. At the last meeting of the year, we showed members who had been taking part and asked them what we should do.

## What changed as a result
Some plans changed because of the forum: the charging letters were rewritten, and the day services review added an Easy Read questionnaire. But the forum could only ever react to plans that were already written. Members said themselves that new people would not join a group where everyone already knows each other. With their support, the new Carers' Partnership Board was recruited by lottery, with half its places kept for people never involved before.

## What it cost
About £5,800 over the year: members' time at £20 an hour, £60 a half day for the chair, travel, and lunch at each meeting. Staff time was part of the commissioning team's work.

## What we learned
- Consultation is useful, but it is not co-production: the forum was always asked after the plan was written.
- Counting who takes part showed us what we had not wanted to see.
- Long-standing members were our strongest allies once we explained the problem honestly.)md",
       R"md(- **12** forum meetings in a year, with mostly the same people at each
- **2** council plans changed because of the forum
- A new board recruited **by lottery**, with half its places for new voices)md",
       R"md(The forum is a group of people who get care and carers.

The council asked the forum about its plans.

The forum met every month.

The same people came every time.

Many other people were never asked.

The forum could only talk about plans that were already written.

Forum members helped us find new people.

Now a new board chooses members fairly.

Half of the places are for new people.)md",
       "Commissioning team, Brightwater Borough Council: library@brightwater.example", "in_review", 8},

      // ---------------------------------------------------------------- council (draft)
      {"Direct payments made simpler: a peer support service co-produced with employers of personal assistants",
       "People who use direct payments to employ their own personal assistants are co-producing a peer support "
       "service with the council. The work is still under way.",
       "local_authority", "Direct payments", "co_production", {"reciprocity", "equality"}, {9, 4, 3},
       R"md(## What needed to change
Direct payments let people arrange their own care, often by employing personal assistants. But people told us the paperwork, payroll and employer's duties put them off, and the number of people using direct payments in Brightwater has fallen for three years in a row. Many said the council's advice was written for accountants, not for them.

## Who was involved and how they were found
We wrote to everyone who has a direct payment and asked through the local disabled people's organisation. Nine people who employ personal assistants and four family members who manage a payment for someone are taking part. Three council staff join them: the direct payments lead, a finance officer and a social worker.

## What was done together
The group has met six times so far. Members chose to design a peer support service run by people who use direct payments and paid for by the council. So far they have:

- written a one-page checklist for your first month as an employer
- started a monthly drop-in where experienced employers help new ones
- begun writing the job description for a paid peer support coordinator)md",
       "", R"md(Direct payments are money from the council for your care.

You can use them to pay your own helpers.

People said this was hard to set up.

People who use direct payments are helping us.

They wrote a checklist for new people.

They run a drop-in once a month.

We are still working on this together.)md",
       "Direct payments team, Brightwater Borough Council: library@brightwater.example", "draft", 3},

      // ---------------------------------------------------------------- voluntary and community (withdrawn)
      {"Video calls in British Sign Language: Deaf people design a way into the council",
       "Deaf people who use British Sign Language worked with the Brightwater Deaf Centre and the council's contact "
       "centre to design a video call service, so Deaf people can contact adult social care in their own language.",
       "voluntary_community", "Deaf people", "co_design", {"accessibility", "diversity"}, {6, 1, 4},
       R"md(## What needed to change
Deaf people who use British Sign Language (BSL) could only contact adult social care by email or by bringing a hearing friend. Emails went unanswered for days, and people did not want relatives hearing about their personal care. Some Deaf people had not asked for support they needed because of this.

## Who was involved and how they were found
The Brightwater Deaf Centre invited people at its social evenings, with a signed video explaining the project. Six Deaf BSL users and one hearing family member took part, with two qualified interpreters at every session. Four council staff joined them from the contact centre and the sensory support team.

## What was done together
The group met five times at the Deaf Centre. Deaf members tested three video calling apps on phones, tablets and the centre's computers, and chose the one that worked best. Together the group:

- set the hours the service would run, including one evening a week
- wrote a signed video guide to using it
- agreed what contact centre staff would say when a BSL call came in

## What changed as a result
The video call service ran for a year, with an interpreter joining each call. Around 40 calls a month came through it, most from people the council had not heard from before.

## What it cost
£2,900: £1,500 for interpreters at the sessions, £600 in payments to Deaf members, £500 for the signed video and £300 for the venue.

## What we learned
Interpreters had to be booked weeks ahead, so sessions were planned well in advance. Deaf members were clear that a service designed without them would not have been used.)md",
       R"md(- About **40** calls a month in BSL
- **Most** callers had not contacted adult social care before)md",
       R"md(Some Deaf people use British Sign Language.

It is called BSL.

It was hard for Deaf people to contact the council.

Deaf people helped design a video call service.

They chose the app.

They made a video to show how to use it.

Now Deaf people can call the council in BSL.

An interpreter joins the call.)md",
       "Sensory support team, Brightwater Borough Council: library@brightwater.example", "withdrawn", 540},
  };
  return k;
}

// What the lead writes for the case study drafted from the Carers'
// Partnership Board's records: the draft has what the records say.
constexpr const char* kBoardNeed =
    R"md(Brightwater's carers' strategy was written three years ago, mostly by staff. Carers told us it did not reflect their lives: daytime meetings ruled out anyone working or caring full time, and the same few people were asked every time. When we counted who took part in the council's Adult Social Care Forum, we found the same regulars at almost every meeting. We wanted a board of carers who would shape carers' services from the start, with places kept for people who had never been involved before.)md";
constexpr const char* kBoardLearned =
    R"md(Recruiting by lottery, with half the places kept for new voices, brought in carers we had never heard from, including several who work full time. Evening meetings and paid care cover made the difference between being invited and being able to come. The records show we are at engagement and co-design, not yet co-production: the board shapes what we do, but the council still holds the budget. Sharing that budget is the board's next step.)md";
constexpr const char* kBoardEasyRead = R"md(Unpaid carers look after a family member or friend.

The council set up a new board of carers.

Carers were picked fairly, like a raffle.

Half of the places were for people new to this.

The board meets in the evening too.

We pay for someone to care while carers come.

Papers come a week early, in Easy Read too.

Carers helped design a new breaks service.

We pay carers for their time.)md";

std::string money(int64_t pence) {
  std::string pounds = std::to_string(pence / 100), out;
  for (size_t i = 0; i < pounds.size(); ++i) {
    if (i > 0 && (pounds.size() - i) % 3 == 0) out += ',';
    out += pounds[i];
  }
  return "£" + out;
}

library::CaseStudyInput input_of(const DemoStudy& d) {
  library::CaseStudyInput s;
  s.title = d.title;
  s.summary = d.summary;
  s.story = library::story_from_markdown(d.story);
  s.setting = d.setting;
  s.area_of_care = d.area_of_care;
  s.rung = d.rung;
  s.principles = d.principles;
  s.people = d.people;
  s.outcomes = d.outcomes;
  s.contact = d.contact;
  s.easy_read = d.easy_read;
  return s;
}

std::string first_word(const std::string& name) { return name.substr(0, name.find(' ')); }

}  // namespace

Status load_library(store::Database& db, const Clock& clock, int64_t org, int64_t admin_id) {
  Actor actor{admin_id, "demo"};
  {
    library::CaseStudies studies(db, clock);
    auto existing = studies.own(org);
    if (!existing.ok()) return existing.status();
    if (!existing->empty()) return Status::Ok();
  }
  using std::chrono::days;
  using std::chrono::hours;

  // The demonstration participant's place in the pool (demo_activities.cc
  // gives one of the forum's regulars their email), linked to their account
  // as signing in would, so the review waits for them at /my-reviews.
  std::optional<int64_t> participant;
  {
    accounts::Accounts accounts(db, clock);
    auto user = accounts.find_user_by_email(kParticipantEmail);
    if (user.ok() && user->organisation_id == org) {
      auto person = involvement::People(db, clock).person_for_user(org, user->id, kParticipantEmail);
      if (!person.ok()) return person.status();
      participant = *person;
    } else if (!user.ok() && user.status().code() != StatusCode::kNotFound) {
      return user.status();
    }
  }

  for (const DemoStudy& d : demo_studies()) {
    // Each is dated as it happened: written three weeks before it was
    // published (a withdrawn one was published well over a year ago).
    FakeClock when(clock.now() - days(d.days_ago + 21));
    library::CaseStudies studies(db, when);
    std::string status = d.status;
    if (status == "in_review" && !participant) status = "draft";
    auto id = studies.create(org, input_of(d), std::nullopt, actor);
    if (!id.ok()) return id.status();
    if (status == "draft") continue;
    when.advance(days(21));
    if (status == "in_review") {
      auto asked = studies.request_review(
          org, *id, *participant,
          "You came to the forum's meetings this year. Is this a fair account of them? Tell us if anything is wrong "
          "or missing.",
          actor);
      if (!asked.ok()) return asked.status();
      continue;
    }
    if (Status s = studies.publish(org, *id, actor); !s.ok()) return s;
    if (status == "withdrawn") {
      when.advance(days(d.days_ago - 40));
      if (Status s = studies.withdraw(org, *id, actor); !s.ok()) return s;
    }
  }

  // One drafted from the Carers' Partnership Board's records (its meetings,
  // attendance, 'you said, we did' and payments from demo_activities.cc),
  // checked by a member who attended and agreed to be named, then published.
  involvement::Groups groups(db, clock);
  auto all = groups.list(org);
  if (!all.ok()) return all.status();
  std::optional<int64_t> board;
  for (const auto& g : *all)
    if (g.name == "Carers' Partnership Board") board = g.id;
  if (!board) return Status::Ok();
  auto record = library::group_record(db, clock, org, *board, actor);
  if (!record.ok()) return record.status();
  if (record->activities_held == 0) return Status::Ok();

  library::CaseStudyInput draft = library::draft_from_record(*record);
  std::vector<library::Section> story = {{"need", kBoardNeed}};
  for (auto& part : draft.story) story.push_back(std::move(part));
  story.push_back({"learned", kBoardLearned});
  draft.story = std::move(story);
  if (draft.setting.empty()) draft.setting = "local_authority";
  if (draft.rung.empty()) draft.rung = "engagement";
  draft.area_of_care = "Unpaid carers";
  for (const char* p : {"equality", "diversity"}) draft.principles.push_back(p);
  draft.people.staff = 3;  // the carers' lead, a commissioner and a minute-taker
  draft.outcomes = "- **" + std::to_string(record->activities_held) + "** meetings and workshops held\n- **" +
                   std::to_string(record->people_taken_part) + "** carers and people who draw on care took part, **" +
                   std::to_string(record->newcomers) + "** of them for the first time\n- **" +
                   std::to_string(record->actions_done) + " of " + std::to_string(record->actions_total) +
                   "** things members raised done\n- " + money(record->time_paid_pence + record->expenses_paid_pence) +
                   " paid to members for their time and expenses";
  draft.contact = "Carers' lead, Brightwater Borough Council: library@brightwater.example";
  draft.easy_read = kBoardEasyRead;

  FakeClock when(clock.now() - days(6));
  library::CaseStudies studies(db, when);
  auto id = studies.create(org, draft, *board, actor);
  if (!id.ok()) return id.status();

  // The reviewer: a member who came to the board's meetings.
  std::set<int64_t> attended;
  activities::Activities acts(db, clock);
  auto held = acts.list(org, *board);
  if (!held.ok()) return held.status();
  for (const auto& a : *held) {
    auto invited = acts.invitations(org, a.id, actor);
    if (!invited.ok()) return invited.status();
    for (const auto& inv : *invited)
      if (inv.attendance == "attended") attended.insert(inv.person_id);
  }
  auto members = groups.members(org, *board, actor);
  if (!members.ok()) return members.status();
  const involvement::Member* reviewer = nullptr;
  for (const auto& m : *members)
    if (m.status == "accepted" && attended.count(m.person_id) && (!participant || m.person_id != *participant)) {
      reviewer = &m;
      break;
    }
  if (reviewer) {
    when.advance(hours(2));
    auto review = studies.request_review(
        org, *id, reviewer->person_id,
        "This was drafted from the board's records. Does it say what the board did, fairly? Is anything missing?",
        actor);
    if (!review.ok()) return review.status();
    when.advance(days(2));
    library::ReviewDecision yes{"approved",
                                "It is right. I would add that the evening meetings are why I could come at all.",
                                true, first_word(reviewer->name)};
    // The member answers for themselves, not as the administrator.
    if (Status s = studies.decide(org, *review, reviewer->person_id, yes, Actor{std::nullopt, "demo"}); !s.ok())
      return s;
  }
  when.advance(days(1));
  return studies.publish(org, *id, actor);
}

}  // namespace coproduce::app
