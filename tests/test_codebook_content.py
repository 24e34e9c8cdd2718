"""Hard cases for the shipped codebook (data/codebook.yaml).

Table-driven: each case is one sentence, its language, the frames that must be
present and the frames that must be absent.  Cases are written for Arabic and
English news in general (spelling variants, clitics, Persian letters,
Arabic-Indic digits, diacritics, numbers in words), plus near-misses that share
a word with an indicator but not its meaning.  A few facts about the seed
corpus are checked through the whole pipeline.

The cases are not tuned to any hand-coded gold file.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from anywhere, installed or not
    sys.path.insert(0, str(ROOT))

from analysis.coding.article import Segment, code_segment
from analysis.inputs.codebook import load_codebook
from analysis.io.errors import Problems
from analysis.text.normalize import normalize_with_map

CODEBOOK_PATH = ROOT / "data" / "codebook.yaml"
FRAME_IDS = ("postman", "withdrawal_timeline", "rocket_attacks", "militia_weapons", "energy_sanctions",
             "soleimani_revenge", "qaani_visit_secrecy", "arena_balance", "isis_threat")

P, W, R, M, E, S, Q, A, I = FRAME_IDS  # short names for the tables


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(CODEBOOK_PATH)


def frames_in(sentence: str, language: str, codebook) -> set[str]:
    """Code one sentence as the pipeline does (normalize, then match)."""
    norm, index = normalize_with_map(sentence)
    seg = Segment("t", "t:s001", 0, len(sentence), sentence, norm, tuple(index))
    return {row["frame"] for row in code_segment(seg, codebook, language)}


def check(sentence, language, present, absent, codebook):
    got = frames_in(sentence, language, codebook)
    missing = set(present) - got
    unwanted = set(absent) & got
    assert not missing and not unwanted, (
        f"\n  sentence: {sentence}\n  coded:    {sorted(got)}\n"
        f"  missing:  {sorted(missing)}\n  unwanted: {sorted(unwanted)}")


# --------------------------------------------------------------------------
# The codebook itself
# --------------------------------------------------------------------------

def test_shipped_codebook_loads_without_problems():
    problems = Problems()
    cb = load_codebook(CODEBOOK_PATH, problems)
    assert [str(p) for p in problems.items] == []
    assert tuple(cb.frame_ids) == FRAME_IDS


@pytest.mark.parametrize("frame_id", FRAME_IDS)
def test_every_frame_has_arabic_and_english_indicators(codebook, frame_id):
    frame = codebook.frame(frame_id)
    assert frame.indicators.get("ar"), f"{frame_id} has no Arabic indicators"
    assert frame.indicators.get("en"), f"{frame_id} has no English indicators"
    assert frame.label_en and frame.label_ar and frame.definition


# --------------------------------------------------------------------------
# Must fire (Arabic)
# --------------------------------------------------------------------------

AR_POSITIVE = [
    # postman
    ("postman-denied-quoted", "أكد الكاظمي أن العراق «لن يكون ساعي بريد» بين طهران وواشنطن.", [P]),
    ("postman-diacritics", "وقال: نَحْنُ لا نَلْعَبُ دَوْرَ ساعِي البَرِيدِ في العِراقِ.", [P]),
    ("postman-tatweel", "العراق ليس ســاعي البريــد لأحد.", [P]),
    ("postman-accusation", "تسعى إيران إلى تحويل العراق إلى مجرد ساعي بريد لرسائل فيلق القدس.", [P]),
    ("postman-question-carry", "هل يحمل الكاظمي رسائلَ من طهران إلى واشنطن؟", [P]),
    ("postman-trump-variant", "الكاظمي ينفي حمله رسالة إيرانية إلى الرئيس الأميركي ترمب.", [P]),
    ("postman-mediator-persian-yeh", "يلعب العراق دور الوسيط بين الولايات المتحدة وإیران.", [P]),
    ("postman-mediate-with-washington", "طلبت طهران من الكاظمي التوسط لدى واشنطن لتخفيف العقوبات.", [P]),
    ("postman-mailbox", "العراق لن يتحول إلى صندوق بريد لتبادل الرسائل بين واشنطن وطهران.", [P]),
    ("postman-to-us-administration", "الكاظمي يحمل رسائل إيرانية للإدارة الأمريكية.", [P]),
    ("postman-not-a-mediator-negated", "وأكد أنه ليس وسيطا بين واشنطن وطهران.", [P]),
    ("postman-us-to-iran", "نقل الكاظمي رسالة أمريكية إلى القيادة الإيرانية خلال زيارته.", [P]),
    ("postman-deliver-to-us", "ليس العراق مضطرا لحمل الرسائل التي جاء بها قآني لإيصالها إلى الرئيس الأمريكي.", [P]),
    # withdrawal_timeline: these check the indicators' words only (code_segment runs no context); that a
    # withdrawal also needs a time element in its sentence is checked through the pipeline in
    # tests/test_withdrawal_timeline.py
    ("withdrawal-within-one-year", "تطالب الفصائل بانسحاب القوات الأمريكية من العراق خلال عام واحد.", [W]),
    ("withdrawal-number-words", "طالبت طهران بتقليص مدة الانسحاب من ثلاث سنوات إلى سنة واحدة.", [W]),
    ("withdrawal-indic-digits", "اتفق الجانبان على انسحاب القوات خلال ٣ سنوات.", [W]),
    ("withdrawal-troop-count-indic", "يبلغ عدد الجنود الأمريكيين في العراق نحو ٥٢٠٠ جندي أمريكي.", [W]),
    ("withdrawal-parliament", "صوّت مجلس النواب العراقي على قرار يلزم الحكومة بإنهاء وجود القوات الأجنبية.", [W]),
    ("withdrawal-scheduling-enclitic", "طلب العامري من الكاظمي سرعة جدولة خروجهم من العراق.", [W]),
    ("withdrawal-persian-letters", "تريد طهران إخراج الأمیرکيين من العراق.", [W]),
    ("withdrawal-timetable", "اتفق الجانبان على جدول زمني لسحب القوات القتالية بحلول نهاية 2021.", [W]),
    ("withdrawal-within-a-year-ghodoun", "وعد بمناقشة واشنطن في خروج قواتها من العراق في غضون عام.", [W]),
    ("withdrawal-strategic-dialogue", "يبحث الحوار الاستراتيجي مستقبل الوجود العسكري الأمريكي في العراق.", [W]),
    ("withdrawal-us-withdrawal-noun", "بعد الانسحاب الأميركي من العراق تغيّر ميزان القوى.", [W]),
    ("withdrawal-end-combat-mission", "أعلن انتهاء المهمة القتالية لقوات التحالف في العراق.", [W]),
    # rocket_attacks
    ("rocket-katyusha-teh", "تعرضت السفارة الأميركية في بغداد لهجوم بثلاثة صواريخ كاتيوشة.", [R]),
    ("rocket-mortar-ain-al-asad", "سقطت ثلاث قذائف هاون قرب قاعدة عين الأسد التي تستضيف قوات أمريكية.", [R]),
    ("rocket-drone-harir", "استهدف هجوم بطائرة مسيّرة مفخخة قاعدة حرير في أربيل.", [R]),
    ("rocket-convoy", "استهدفت عبوة ناسفة رتلا للدعم اللوجستي تابعا للتحالف الدولي جنوب بغداد.", [R]),
    ("rocket-green-zone-dual", "سقط صاروخان على المنطقة الخضراء وسط العاصمة.", [R]),
    ("rocket-victoria-persian-kaf", "تعرضت قاعدة فیکتوريا قرب مطار بغداد إلى القصف بعدد من الصواريخ.", [R]),
    ("rocket-missions", "ربط الكاظمي الانسحاب بتوقف الهجمات على البعثات الدبلوماسية.", [R]),
    ("rocket-airport", "سقطت صواريخ كاتيوشا قرب مطار بغداد الدولي.", [R]),
    # militia_weapons
    ("militia-arms-monopoly", "شدد الكاظمي على ضرورة حصر السلاح بيد الدولة.", [M]),
    ("militia-outside-state", "لن نسمح بوجود سلاح خارج إطار الدولة.", [M]),
    ("militia-named-raid", "اعتقلت قوة من جهاز مكافحة الإرهاب ١٤ عنصرا من كتائب حزب الله في الدورة.", [M]),
    ("militia-spelling-variant", "طالبت واشنطن بنزع سلاح المليشيات المدعومة من إيران.", [M]),
    ("militia-hand-over-weapons", "قال الصدر إن على الفصائل تسليم سلاحها إلى الدولة.", [M]),
    ("militia-resistance-weapons", "لن تترك المقاومة سلاحها، لا بقرار أمريكي ولا بقرار عراقي.", [M]),
    ("militia-split-phrase", "دعا إلى ضبط المجموعات الدينية المسلحة الحليفة لإيران.", [M]),
    ("militia-rein-in", "أشار إلى الرغبة في كبح نفوذ الجماعات المسلحة المدعومة من طهران.", [M]),
    # energy_sanctions
    ("energy-import", "يستورد العراق نحو ثلث احتياجاته من الكهرباء والغاز من إيران.", [E]),
    ("energy-waiver", "مددت واشنطن الإعفاء الممنوح للعراق من العقوبات لمدة ١٢٠ يوما.", [E]),
    ("energy-waivers-plural", "كانت الرسالة الثانية تمديد إعفاءات الطاقة التي منحتها إدارة ترامب للعراق.", [E]),
    ("energy-grid", "وقع العراق اتفاقية للربط الكهربائي مع دول مجلس التعاون الخليجي.", [E]),
    ("energy-debts", "تراكمت ديون الغاز الإيراني على وزارة الكهرباء العراقية.", [E]),
    ("energy-sanctions-on-iran", "أضعف استيراد العراق للنفط من إيران فاعلية العقوبات الأمريكية المفروضة على طهران.", [E]),
    ("energy-imported-participle", "وتعتمد محطات الكهرباء العراقية على الغاز المستورد من إيران.", [E]),
    ("energy-alternative", "تضغط الولايات المتحدة على بغداد لإيجاد بديل لموارد الطاقة التي تستوردها من إيران.", [E]),
    # soleimani_revenge
    ("soleimani-revenge-victory-leaders", "تعهدت الفصائل بالثأر لدماء قادة النصر.", [S]),
    ("soleimani-alef-maqsura", "توعد الحرس الثوري بانتقام قاس لمقتل الجنرال قاسم سليمانى.", [S]),
    ("soleimani-diacritics", "بعد اغتِيالِ قاسِم سُلَيْمانِي قرب مطار بغداد تصاعد التوتر.", [S]),
    ("soleimani-muhandis-genitive", "أحيا آلاف العراقيين الذكرى السنوية الأولى لاستشهاد أبي مهدي المهندس.", [S]),
    ("soleimani-killing-long-apposition",
     "ستوجه إيران ضربة للولايات المتحدة رداً على قتلها القائد السابق لفيلق القدس قاسم سليماني.", [S]),
    ("soleimani-liquidation", "كانت الخطوط سائدة قبل تصفية واشنطن للجنرال الإيراني قاسم سليماني.", [S]),
    # qaani_visit_secrecy
    ("qaani-unannounced-persian-yeh", "وصل قائد فيلق القدس إسماعيل قآنی إلى بغداد في زيارة لم يعلن عنها مسبقا.", [Q]),
    ("qaani-secret-quoted", "كشفت مصادر عن «زيارة سرية» قام بها قاآني إلى العراق.", [Q]),
    ("qaani-away-from-spotlight", "أجرى قاآني زيارة خاطفة إلى بغداد بعيدا عن الأضواء.", [Q]),
    ("qaani-surprise", "زار قائد قوة القدس بغداد في زيارة سريعة ومفاجئة.", [Q]),
    ("qaani-other-iranian-official", "وكان ظريف قد زار بغداد بشكل مفاجئ قبل يوم من زيارة الكاظمي إلى الرياض.", [Q]),
    ("qaani-complete-secrecy", "جرى اللقاء بين الكاظمي وقائد فيلق القدس في سرية تامة.", [Q]),
    # arena_balance
    ("arena-conflict", "رفض الكاظمي أن يكون العراق ساحة للصراع.", [A]),
    ("arena-settling-scores", "يرفض الكاظمي أن يتحول العراق إلى ساحة لتصفية الحسابات بين واشنطن وطهران.", [A]),
    ("arena-stage-of-tension", "الأراضي العراقية تشكّل مسرحاً للتوتر بين البلدين.", [A]),
    ("arena-balancing", "يسعى الكاظمي إلى تحقيق التوازن في علاقات العراق مع طهران وواشنطن.", [A]),
    ("arena-hammer-anvil", "يقف العراق بين المطرقة الأمريكية والسندان الإيراني.", [A]),
    ("arena-launchpad", "لن نسمح بأن يكون العراق منطلقا للاعتداء على دول الجوار.", [A]),
    ("arena-headline-between", "الكاظمي بين واشنطن وطهران", [A]),
    ("arena-territory-used", "رفض أن تُستخدَم أراضيه من أي دولة ضد أخرى.", [A]),
    ("arena-war-between", "يخشى العراقيون أن تتحول بلادهم إلى ساحة حرب بين أمريكا وإيران.", [A]),
    ("arena-balance-task", "يواجه رئيس الوزراء مهمة صعبة للموازنة بين إيران والولايات المتحدة.", [A]),
    # isis_threat
    ("isis-daesh-sleeper", "حذر الجيش من عودة نشاط خلايا داعش النائمة في ديالى.", [I]),
    ("isis-dawaish", "اعتقلت القوات الأمنية خمسة من الدواعش في كركوك.", [I]),
    ("isis-islamic-state", "قتل جنديان في هجوم لتنظيم الدولة الإسلامية شمال بغداد.", [I]),
    ("isis-coalition", "أكد حماية التحالف الدولي الذي تقوده الولايات المتحدة في العراق.", [I]),
    ("isis-coalition-jihadists", "ينتشر الجنود في إطار التحالف ضد الجهاديين الذي تقوده واشنطن.", [I]),
]


@pytest.mark.parametrize("sentence,present", [(s, p) for _, s, p in AR_POSITIVE],
                         ids=[c[0] for c in AR_POSITIVE])
def test_arabic_hard_cases_fire(codebook, sentence, present):
    check(sentence, "ar", present, [], codebook)


# --------------------------------------------------------------------------
# Must fire (English)
# --------------------------------------------------------------------------

EN_POSITIVE = [
    ("postman-ap-quote", '"We do not play the role of postman in Iraq," the U.S.-backed prime minister said.', [P]),
    ("postman-not-a", "Iraq is not a postman, Kadhimi told reporters.", [P]),
    ("postman-carrying-messages", "Kadhimi was asked whether he was carrying any messages from Tehran.", [P]),
    ("postman-mailbox", "Iraq will not be a mailbox for messages between Washington and Tehran.", [P]),
    ("postman-go-between", "Iraq has long served as a go-between for Iran and the United States.", [P]),
    ("postman-messenger", "Kadhimi said he was not a messenger for Tehran.", [P]),
    ("postman-iranian-messages-to-trump", "He denied carrying Iranian messages to Trump.", [P]),
    ("withdrawal-within-a-year", "Iran wants US troops out of Iraq within a year.", [W]),
    ("withdrawal-parliament-expel", "The parliament voted in January to expel foreign troops from the country.", [W]),
    ("withdrawal-troop-levels", "The US will reduce its troop levels in Iraq to 3,000 by September.", [W]),
    ("withdrawal-timetable", "The two sides discussed a timetable for the withdrawal of combat forces.", [W]),
    ("withdrawal-troop-count", "About 5,200 American troops are stationed in Iraq.", [W]),
    ("withdrawal-pull-out", "Militias demand that the Americans pull out of Iraq.", [W]),
    ("withdrawal-drawdown", "The Pentagon announced a drawdown of US forces in Iraq.", [W]),
    ("withdrawal-three-years", "The US plans to withdraw forces within three years.", [W]),
    ("rocket-katyusha-green-zone", "Three Katyusha rockets landed inside the Green Zone near the US embassy.", [R]),
    ("rocket-drone-erbil", "A drone attack targeted Erbil airport, which hosts coalition troops.", [R]),
    ("rocket-camp-taji", "Rockets struck Camp Taji, north of Baghdad.", [R]),
    ("rocket-ain-al-asad", "Mortar rounds hit Ain al-Asad air base.", [R]),
    ("rocket-victoria", "Rockets hit near Victoria base at Baghdad airport after Kadhimi arrived in Washington.", [R]),
    ("militia-hand-over", "Armed factions loyal to Iran have refused to hand over their weapons.", [M]),
    ("militia-rein-in", "Kadhimi vowed to rein in Iran-backed militias and bring weapons under state control.", [M]),
    ("militia-pmf-hand-over", "The Popular Mobilization Forces have refused to hand over their heavy weapons.", [M]),
    ("militia-raid-kataib", "Iraqi counterterrorism forces raided a Kataib Hezbollah headquarters and arrested 14 members.", [M]),
    ("militia-outside-state", "He promised to deal with weapons outside the control of the state.", [M]),
    ("energy-imports", "Iraq imports about a third of its electricity and gas from Iran.", [E]),
    ("energy-waiver", "The US granted Iraq a 120-day waiver from sanctions to keep buying Iranian electricity.", [E]),
    ("energy-sanctions-on-iran", "Washington has imposed crippling sanctions on Iran's oil sector.", [E]),
    ("energy-grid", "Iraq signed a deal to link its power grid with the Gulf Cooperation Council.", [E]),
    ("soleimani-killed", "Soleimani was killed in a US drone strike near Baghdad airport on January 3.", [S]),
    ("soleimani-revenge", "Iran vowed harsh revenge for the assassination of Qassem Soleimani.", [S]),
    ("soleimani-anniversary", "Militias marked the anniversary of the killing of Soleimani and Abu Mahdi al-Muhandis.", [S]),
    ("qaani-secret", "Qaani paid a secret visit to Baghdad on Sunday.", [Q]),
    ("qaani-unannounced", "The Quds Force commander arrived in Baghdad on an unannounced visit.", [Q]),
    ("qaani-apostrophe", "Esmail Qa'ani made a surprise trip to Baghdad before Kadhimi left for Washington.", [Q]),
    ("arena-battleground", "Iraq has become a battleground for the rivalry between Washington and Tehran.", [A]),
    ("arena-caught-between", "Kadhimi is caught between Washington and Tehran.", [A]),
    ("arena-territory", "Kadhimi said Iraq would not allow its territory to be used against any neighbouring country.", [A]),
    ("arena-balance", "Kadhimi has kept a delicate balance between the United States and Iran.", [A]),
    ("arena-caught-in-the-middle", "Iraq has been caught in the middle of the standoff between Washington and Tehran.", [A]),
    ("arena-proxy-war", "Iraqis fear their country will become the scene of a proxy war.", [A]),
    ("isis-islamic-state", "The Islamic State group has been regrouping in the desert.", [I]),
    ("isis-sleeper-cells", "ISIS sleeper cells remain a threat.", [I]),
    ("isis-us-led-coalition", "The US-led coalition has trained Iraqi forces since 2014.", [I]),
]


@pytest.mark.parametrize("sentence,present", [(s, p) for _, s, p in EN_POSITIVE],
                         ids=[c[0] for c in EN_POSITIVE])
def test_english_hard_cases_fire(codebook, sentence, present):
    check(sentence, "en", present, [], codebook)


# --------------------------------------------------------------------------
# Near-misses: a shared word, not the meaning (at least two per frame and language)
# --------------------------------------------------------------------------

AR_NEAR_MISSES = [
    # factions named only as actors: the frame needs their weapons, reining in, raids or accountability
    ("militia-actor-only-accusation", "يتهم قادة في المجموعات الدينية المسلحة الحليفة لإيران الكاظمي بالتواطؤ.", [M]),
    ("militia-actor-only-meeting", "اجتمع الكاظمي مع قادة الفصائل المسلحة في منزل العامري.", [M]),
    # postman
    ("postman-message-to-iraq", "تحاول إيران إفساد زيارة الكاظمي إلى واشنطن، وإبلاغه برسائل الملالي.", [P]),
    ("postman-demand-to-kadhimi", "ووجه خامنئي رسالة إلى الكاظمي دعاه فيها إلى إخراج القوات الأمريكية.", [P]),
    ("postman-omani-mediation", "تقوم سلطنة عمان بدور الوسيط بين إيران والولايات المتحدة.", [P]),
    ("postman-figure-of-speech", "الهجمات الصاروخية رسالة إيرانية واضحة إلى واشنطن.", [P]),
    ("postman-congratulations", "تلقى الكاظمي رسالة تهنئة من الرئيس الأمريكي بمناسبة العيد.", [P]),
    ("postman-text-messages", "أرسلت السفارة الأمريكية رسائل نصية إلى مواطنيها في بغداد.", [P]),
    ("postman-email", "يمكن إرسال الرسائل إلى واشنطن عبر البريد الإلكتروني للسفارة الإيرانية.", [P]),
    ("postman-postal-service", "أعلنت الشركة العامة للبريد العراقي عن توظيف ساعي بريد جديد لتوزيع الطرود.", [P]),
    ("postman-other-mediation", "توسطت بغداد بين الرياض وطهران لاستئناف المحادثات.", [P]),
    # withdrawal_timeline
    ("withdrawal-candidate", "أعلن المرشح انسحابه من السباق الانتخابي.", [W]),
    ("withdrawal-nuclear-deal", "انسحبت الولايات المتحدة من الاتفاق النووي عام 2018.", [W]),
    ("withdrawal-no-confidence", "صوت البرلمان على سحب الثقة من وزير المالية.", [W]),
    ("withdrawal-ambassador", "قررت الحكومة سحب السفير العراقي من أنقرة.", [W]),
    ("withdrawal-aam-general-public", "قال الأمين العام للأمم المتحدة إن الرأي العام العراقي يطالب بالإصلاح خلال عام 2020.", [W]),
    ("withdrawal-iraqi-army-mosul", "انسحبت القوات العراقية من الموصل عام 2014.", [W]),
    ("withdrawal-syria", "قررت واشنطن سحب قواتها من سوريا.", [W]),
    ("withdrawal-iraqi-army-own-units", "سحب الجيش العراقي قواته من أطراف المدينة بعد المعارك.", [W]),
    ("withdrawal-mp-walkout", "انسحب النواب من جلسة البرلمان احتجاجا على قانون الانتخابات.", [W]),
    # rocket_attacks
    ("rocket-satellite", "أطلقت إيران صاروخا يحمل قمرا صناعيا إلى الفضاء.", [R]),
    ("rocket-missile-programme", "تكشف إيران عن صاروخ باليستي جديد ضمن برنامجها الصاروخي.", [R]),
    ("rocket-football", "سجل اللاعب هدفا صاروخيا في مرمى المنافس خلال مباراة الدوري.", [R]),
    ("rocket-green-zone-meeting", "التقى الكاظمي بقاآني في المنطقة الخضراء.", [R]),
    ("rocket-soleimani-drone", "قتل سليماني والمهندس بضربة أمريكية بطائرة مسيرة قرب مطار بغداد.", [R]),
    ("rocket-gaza", "أطلقت الفصائل الفلسطينية صواريخ من غزة على المستوطنات الإسرائيلية.", [R]),
    ("rocket-march-to-embassy", "انطلقت مسيرة احتجاجية نحو السفارة الأمريكية في بغداد.", [R]),
    # militia_weapons
    ("militia-army-weapons", "تسلم الجيش العراقي شحنة أسلحة أمريكية جديدة.", [M]),
    ("militia-air-force", "أعلن سلاح الجو العراقي تنفيذ غارات على مواقع في جبال حمرين.", [M]),
    ("militia-lebanese-hezbollah", "حذر حزب الله اللبناني من تداعيات العقوبات.", [M]),
    ("militia-palestinian-factions", "الفصائل الفلسطينية المسلحة في غزة ترفض التهدئة.", [M]),
    ("militia-nuclear-disarmament", "دعا المؤتمر إلى نزع السلاح النووي في الشرق الأوسط.", [M]),
    ("militia-terrorist-groups", "تواصل القوات الأمنية مواجهة الجماعات الإرهابية في الأنبار.", [M]),
    # energy_sanctions
    ("energy-dismissal", "أعفى رئيس الوزراء مدير عام الكهرباء من منصبه.", [E]),
    ("energy-capacity", "تعمل محطات الكهرباء بكامل طاقتها الإنتاجية.", [E]),
    ("energy-generic-cooperation", "ناقش الوزيران سبل تعزيز التعاون في مجال الطاقة المتجددة.", [E]),
    ("energy-russia-sanctions", "أعلن الاتحاد الأوروبي فرض عقوبات جديدة على روسيا.", [E]),
    ("energy-sanctions-on-militia-leader", "فرضت واشنطن عقوبات على فالح الفياض لارتباطه بفصائل موالية لإيران.", [E]),
    ("energy-tax-exemption", "قررت الحكومة إعفاء المستثمرين من الرسوم الجمركية.", [E]),
    # soleimani_revenge
    ("soleimani-successor", "قاآني الذي خلف سليماني في قيادة فيلق القدس يفتقر إلى نفوذ سلفه.", [S]),
    ("soleimani-sulaymaniyah", "افتتح محافظ السليمانية مشروعا جديدا.", [S]),
    ("soleimani-other-killing", "قتل ثلاثة متظاهرين في الناصرية أمس.", [S]),
    ("soleimani-red-lines", "لا عودة إلى «خطوط سليماني» ولا ضبط لسلاح الميليشيات.", [S]),
    # qaani_visit_secrecy
    ("qaani-announced-visit", "أعلن مكتب رئيس الوزراء عن زيارة مرتقبة لوزير الخارجية الإيراني إلى بغداد.", [Q]),
    ("qaani-us-unannounced", "وصل وزير الخارجية الأمريكي بومبيو إلى بغداد في زيارة غير معلنة.", [Q]),
    ("qaani-kadhimi-inspection", "أجرى الكاظمي زيارة مفاجئة إلى مستشفى ابن النفيس.", [Q]),
    ("qaani-secret-ballot", "جرى التصويت السري على اختيار رئيس البرلمان.", [Q]),
    ("qaani-no-injuries-announced",
     "التقى قاآني بالكاظمي في المنطقة التي شهدت إطلاق صواريخ، دون الإعلان عن أية إصابات.", [Q]),
    ("qaani-plain-visit", "زار قائد فيلق القدس اللواء إسماعيل قآني العاصمة العراقية وأجرى مشاورات.", [Q]),
    # arena_balance
    ("arena-tahrir-square", "احتشد المتظاهرون في ساحة التحرير وسط بغداد.", [A]),
    ("arena-tahrir-clashes", "اندلعت مواجهات بين المحتجين وقوات الأمن في ساحة التحرير.", [A]),
    ("arena-budget", "أقرت الحكومة مشروع قانون الموازنة العامة لعام 2021.", [A]),
    ("arena-isis-battlefield", "تقدمت القوات العراقية في ساحة المعركة ضد داعش.", [A]),
    ("arena-us-iran-relations", "استؤنفت المحادثات النووية بين واشنطن وطهران في فيينا.", [A]),
    # isis_threat
    ("isis-counterterrorism-service", "أعاد الكاظمي تعيين الساعدي رئيسا لجهاز مكافحة الإرهاب.", [I]),
    ("isis-islamic-republic", "تسعى الجمهورية الإسلامية إلى توسيع نفوذها في المنطقة.", [I]),
    ("isis-fatah-alliance", "تعقد قوى تحالف الفتح اجتماعا لبحث الموقف.", [I]),
    ("isis-arab-coalition-yemen", "شن التحالف الدولي بقيادة السعودية غارات في اليمن.", [I]),
]


@pytest.mark.parametrize("sentence,absent", [(s, a) for _, s, a in AR_NEAR_MISSES],
                         ids=[c[0] for c in AR_NEAR_MISSES])
def test_arabic_near_misses_do_not_fire(codebook, sentence, absent):
    check(sentence, "ar", [], absent, codebook)


EN_NEAR_MISSES = [
    ("postman-literal", "A postman was injured in a traffic accident in Basra.", [P]),
    ("postman-omani-mediator", "Oman has acted as a mediator between Iran and the United States.", [P]),
    ("postman-other-mediation", "Iraq's president mediated between Turkey and the Kurdish region.", [P]),
    ("postman-text-messages", "The embassy sent text messages to US citizens urging them to leave.", [P]),
    ("postman-congratulations", "Trump sent a message of congratulations to the Iraqi prime minister.", [P]),
    ("postman-figure-of-speech", "The rocket attack was a clear message from Iran to Washington.", [P]),
    ("postman-facebook-messenger", "Iranian users rely on Facebook Messenger and WhatsApp.", [P]),
    ("withdrawal-nuclear-deal", "Trump withdrew the United States from the Iran nuclear deal in 2018.", [W]),
    ("withdrawal-candidate", "The candidate withdrew from the race on Tuesday.", [W]),
    ("withdrawal-casualties", "Three US soldiers were killed in the attack.", [W]),
    ("withdrawal-syria", "The US pulled its troops out of northern Syria in October.", [W]),
    ("withdrawal-iraqi-troops", "Iraqi troops withdrew from the city as militants advanced in 2014.", [W]),
    ("withdrawal-ambassador", "Baghdad recalled its ambassador and withdrew from the talks.", [W]),
    ("rocket-green-zone-meeting", "Kadhimi met Qaani in the Green Zone.", [R]),
    ("rocket-ballistic-parade", "Iran unveiled a new ballistic missile at a military parade.", [R]),
    ("rocket-nba", "The Houston Rockets beat the Lakers.", [R]),
    ("rocket-spacex", "SpaceX launched a rocket carrying 60 satellites.", [R]),
    ("militia-michigan", "Armed militia members stormed the Michigan state capitol.", [M]),
    ("militia-army-weapons", "The Iraqi army received a new shipment of US weapons.", [M]),
    ("militia-houthis", "Iran-backed Houthis fired missiles at Saudi Arabia.", [M]),
    ("militia-nuclear-disarmament", "The treaty calls for nuclear disarmament.", [M]),
    ("energy-russia", "The EU imposed new sanctions on Russia.", [E]),
    ("energy-tax-exemption", "The player received a tax exemption.", [E]),
    ("energy-generic", "Renewable energy is growing fast.", [E]),
    ("soleimani-successor", "Qaani succeeded Soleimani as head of the Quds Force.", [S]),
    ("soleimani-sulaymaniyah", "Kurdish officials in Sulaymaniyah denied the report.", [S]),
    ("qaani-pompeo", "Pompeo made an unannounced visit to Baghdad.", [Q]),
    ("qaani-announced", "The prime minister's office announced that Kadhimi will visit Washington.", [Q]),
    ("qaani-secret-ballot", "The secret ballot will be held on Tuesday.", [Q]),
    ("arena-us-elections", "Biden won the battleground states of Georgia and Arizona.", [A]),
    ("arena-political-arena", "He is a newcomer to the Iraqi political arena.", [A]),
    ("arena-balance-sheet", "The central bank's balance sheet grew by 3 percent.", [A]),
    ("isis-islamic-republic", "The Islamic Republic rejected the accusation.", [I]),
    ("isis-cts", "The Counter-Terrorism Service is led by Abdul Wahab al-Saadi.", [I]),
    ("isis-coalition-government", "The ruling coalition failed to agree on a candidate.", [I]),
]


@pytest.mark.parametrize("sentence,absent", [(s, a) for _, s, a in EN_NEAR_MISSES],
                         ids=[c[0] for c in EN_NEAR_MISSES])
def test_english_near_misses_do_not_fire(codebook, sentence, absent):
    check(sentence, "en", [], absent, codebook)


# --------------------------------------------------------------------------
# Facts about the seed corpus, through the whole pipeline
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_coding():
    from analysis.pipeline import analyse
    return analyse(ROOT / "data")


def _sentences_with(seed, article_id, frame, snippet=None):
    m = seed.mentions
    rows = m[(m.article_id == article_id) & (m.frame == frame)]
    if snippet is not None:
        rows = rows[rows.sentence.str.contains(snippet, regex=False)]
    return set(rows.sentence_id)


SEED_FACTS = [
    ("002-postman-we-do-not-play", "002", P, "نحن لا نلعب دور ساعي البريد"),
    ("000-postman-will-not-be", "000", P, "لن يكون ساعي بريد"),
    ("000-postman-zafer-al-ani", "000", P, "مجرد ساعي بريد لرسائل فيلق القدس"),
    ("002-rockets-green-zone", "002", R, "إطلاق الصواريخ بشكل شبه مستمر على المنطقة الخضراء"),
    ("002-rockets-victoria", "002", R, "قاعدة فيكتوريا"),
    ("002-timeline-five-years-to-one", "002", W, "من خمسة أعوام إلى عام واحد"),
    ("001-withdrawal-5800-troops", "001", W, "5800 جندي"),
]


@pytest.mark.parametrize("article_id,frame,snippet", [c[1:] for c in SEED_FACTS], ids=[c[0] for c in SEED_FACTS])
def test_seed_sentence_carries_frame(seed_coding, article_id, frame, snippet):
    assert _sentences_with(seed_coding, article_id, frame, snippet), f"{article_id}: no {frame} in «{snippet}»"


def test_seed_004_has_no_postman(seed_coding):
    assert not _sentences_with(seed_coding, "004", P)


def test_seed_qaani_messages_to_kadhimi_are_not_postman(seed_coding):
    # 000: Iran "informs him of the mullahs' messages": a message TO Iraq
    assert not _sentences_with(seed_coding, "000", P, "وإبلاغه برسائل الملالي")
