"""What is *not* a date: durations that name no calendar period, numbers in
names, quantities and clock times. `detect` uses these to veto candidates."""
from __future__ import annotations

import re

from .common import HY, NUMBER, WS

# "3 years", "2 days after", "weeks-long", "over 2 years later", "a decade-long",
# "for more than a decade", "more than 2 decades", "two-year", "10-year".
DURATION = re.compile(
    rf"(?:(?i:(?:for|over|more\s+than|less\s+than|nearly|almost|about|some){WS})*"
    rf"(?:{NUMBER}|(?i:an?|several|many|few|a\s+few)){WS}(?i:days?|weeks?|months?|years?|decades?|centuries)"
    rf"(?:{WS}(?i:later|after|before|earlier|long|old|on))?(?![A-Za-z]))"
    rf"|(?i:(?:days?|weeks?|months?|years?|decades?)(?:{HY}long))"
    rf"|(?:{NUMBER}{HY}(?i:day|week|month|year|decade)(?![A-Za-z]))"
)

# A number followed by one of these counts or measures something: "2015 troops",
# "2000 km", "1400 GMT". (Events are *not* listed: "the 2015 attacks" is a year.)
QUANTITY_NOUN_AFTER = re.compile(
    r"^(?:[^\S\n]*(?:\(|\[)?[^\S\n]*)(?i:people|persons|individuals|troops|soldiers|servicemen|men|women|children|boys|girls"
    r"|fighters|militants|jihadists|terrorists|insurgents|rebels|combatants|policemen|police|gendarmes|officers"
    r"|killed|dead|died|wounded|injured|arrested|displaced|fled|more|others"
    r"|personnel|workers|migrants|refugees|civilians|victims|members|recruits|volunteers|families|households"
    r"|students|prisoners|detainees|hostages|km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|m|tons?|tonnes?"
    r"|barrels|bpd|dollars|euros|dinars|dirhams|usd|eur|vehicles|trucks|cars|weapons|rifles|guns|tanks|helicopters"
    r"|aircraft|planes|jets|drones|missiles|rockets|rounds|mines|hectares|acres|feet|ft|kg|kilograms|sq|square"
    r"|times|units|percent|per\s+cent|%|hours|hrs?|h|gmt|utc|cet|z|local\s+time|a\.m\.|p\.m\.|am|pm)(?![A-Za-z])"
)

# Words that make a following number part of a name, a reference or an amount. ("about",
# "approximately", "an estimated" are not here: "an estimated 2025 budget" is a year; with a
# count noun after it the number is caught by QUANTITY_NOUN_AFTER.)
NAME_OR_QUALIFIER_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:resolutions?|no\.?|nos\.?|n°|nº|n\.º|number|law|decree|article|art\.|page|pages|p\.|pp\.|vol\.?|volume"
    r"|chapter|section|flight|route|room|vision|agenda|horizon|model|code|ordinance|bill|item|isbn|issn|tel\.?"
    r"|phone|fax|box|more\s+than|less\s+than|fewer\s+than|at\s+least|at\s+most|up\s+to|nearly|almost|some"
    r"|total\s+of|over)[^\S\n]*$"
)

# Prepositions that make a number a year even before a noun ("In 2015 troops were ...").
STRONG_TEMPORAL_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:in|since|until|till|before|after|during|circa|c\.)[^\S\n]+$"
)
# Context that licenses a year before 1900 ("in 1830", "between 1830 and 1962").
EARLY_YEAR_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:in|since|until|till|before|after|during|from|by|circa|c\.|around|of|between|and|to|through)[^\S\n]+$"
)

# After a day+month, these make it part of a name: "the June 5 Movement", "the January 25 Revolution".
NAME_AFTER_DAY_MONTH = re.compile(
    r"^[^\S\n]+(?:Movement|Revolution|Coalition|Brigades?|Front|Alliance|Party|Group|Martyrs|Battalion|Youth|Uprising)\b"
)
# Before a weekday, these make it a named event: "Black Friday", "Bloody Sunday".
NAME_BEFORE_WEEKDAY = re.compile(r"(?:Black|Bloody|Good|Holy|Ash|Palm|Easter|Cyber|Super)[^\S\n]+$")
# Before a season, these make it a named event: "Arab Spring", "Prague Spring".
NAME_BEFORE_SEASON = re.compile(r"(?:Arab|Prague|Berber|Black|Amazigh|Tunisian|Libyan|Egyptian|Damascus)[^\S\n]+$")
# Words that let a bare month name stand as a date ("in May", "since March", "early May" is a part_month).
MONTH_CONTEXT_BEFORE = re.compile(
    r"(?:^|[^\w])(?i:in|on|since|until|till|by|during|of|from|to|through|before|after|between|and|or|last|next|this|every|each)[^\S\n]+$"
)
