#!/usr/bin/env python3
"""Regenerates given.txt and surnames.txt, the name lists of `mint scan`.

Usage: make_names.py NAMES_DIR

NAMES_DIR is the `names/` folder of the PyPI package `names` 0.3.0
(`pip download names --no-deps --no-binary :all:`), which ships the US Census
Bureau's 1990 name frequency files (dist.female.first, dist.male.first,
dist.all.last; public domain, a work of the US Government).

Trimming (see README.md): given names used by at least 0.01% of women or of
men; the 5,000 most common surnames; minus words that are ordinary English
words more often than names (STOP below, and for surnames every word in
COMMON_WORDS); plus UK_SURNAMES, common surnames in the UK that the 1990 US
list ranks low or lacks (written for mint). Sorted, one name per line, in
title case.
"""
import sys
from pathlib import Path

# Given names in the census list that are mostly ordinary words, months,
# places or adjectives when capitalised mid-sentence in a UK transcript.
STOP = set("""
will may hope young guy major art son chance summer june april august india
miles jesus numbers sun german brain rich gay christian queen royal rose faith
van israel prince forest grant asia ma virginia lane grace joy sydney princess
francisco carolina roman santa junior georgia drew angel charity mac victoria
chase dallas houston crystal buddy ward hunter gene austin diego chelsea
precious candy clay dawn cleveland autumn alpha noble denver destiny cherry
earl rocky pearl kenya sterling easter sang olive bud penny sunny sierra
orlando columbus china jade ivory amber ruby hazel holly iris ivy fern heather
may sage storm rain sky river brook brooks dale glen worth page love golden
king major marshall baker carter mason cook hall long white green brown black
gray grey bell hill wood stone wells banks price walker chance early sharp
english french irish scott wales paris london florence jersey ireland
""".split())

# Surnames that are also common English words or places: dropped, because a
# capitalised "Street", "Church" or "Council" mid-sentence is rarely a person.
COMMON_WORDS = STOP | set("""
to will just more do her new good see back way day still best love long little
high house place money free real case person read power music white small head
call black law story post early oh book hand south true large friend close north
short light low million deal red child west street ready list heard london march
song word self field main held board price fine force strong land english weeks
player center king gold guess park church east worth bill cool reading green
blue fast page key england range lower lord blood french born washington council
hair race cover walk daily pass ball wall box card straight rock sales peace via
cross speed fair link sale quick sell justice canada fish grow germany doctor
judge lines battle hurt france rule stock beach cash spring sweet christmas luck
winter laws plant block nation hall coffee glass prior northern fell southern
smart lake brand surface hill click arms silver ring stone wild winner monday
nations camp christ till wood joe bridge dear lucky boss apple driver treat fix
roll edge sites lovely wine sides bay angeles core valley session steel bear duty
mix vice powers moon dick beer ray banks brothers younger golden boston pool
lawyer fox snow pack ireland holiday cook kitchen urban flowers lay strange bird
falls walls minor champion orange bright wing fields wales hang bell bond spain
register dollar blow branch guest frame ha brazil bunch harder parent button rice
roof cable irish bible constant hong sample peak pounds manchester marine singer
bills wise lock fee ford le tower hunt bush marks pride kong sharp rush grey
sessions finger bone mount loving hills cloud gray woods gross waters duke castle
temple fort rome chase sand speaks boring diamond belt flower struck root deck
cousin pray friday saturday sunday tuesday wednesday thursday january february
october november december english british scotland welsh jersey york wells
bath kent essex dudley bradford preston chester lincoln derby leeds bristol
hospital surgery nurse ward care patient school college council
""".split())

# Places in the UK and Ireland, and a few things, that are also names in
# the census lists: a capitalised "Sheffield" or "Mayo" is far more often the
# place. Dropped from both lists.
PLACES = set("""
sheffield preston mansfield melton bingham carlton ashby buckingham trent
nottingham leicester lancaster halifax huddersfield wakefield barnsley
doncaster rotherham grimsby hull bolton bury burnley blackburn oldham rochdale
stockport warrington wigan crewe stafford stoke walsall coventry rugby
worcester hereford gloucester oxford cambridge norwich ipswich colchester
chelmsford luton bedford slough guildford brighton worthing hastings dover
canterbury maidstone ashford exeter plymouth truro taunton swansea cardiff
newport wrexham bangor durham darlington sunderland carlisle kendal whitby
scarborough harrogate ripon selby beverley newark grantham stamford spalding
corby kettering northampton milton keynes salisbury winchester windsor
richmond kingston hampton wimbledon croydon ealing enfield harrow hillingdon
lambeth lewisham camden hackney islington barnet bromley bexley sutton
merton havering redbridge brent hounslow southwark westminster chelsea
glasgow edinburgh aberdeen dundee inverness perth stirling paisley ayr
belfast derry antrim armagh tyrone fermanagh dublin cork galway mayo sligo
donegal wexford wicklow kildare meath louth limerick tipperary waterford
carlow offaly leitrim roscommon longford cavan monaghan
thames severn mersey tyne wye avon
nickel costa corona tesco boots asda morrison morrisons sainsbury
""".split())

# Common surnames in the UK (England and Wales, Scotland) that the US 1990
# list ranks below its first 5,000 or lacks, written for mint.
UK_SURNAMES = """
Patel Khan Ali Hussain Ahmed Begum Singh Shah Kaur Rahman Islam Akhtar Iqbal
Mahmood Hussein Bibi Chowdhury Miah Uddin Sharma Kumar Gill Sandhu Mistry
Choudhury Rashid Malik Aziz Qureshi Mohammed Mohammad Ahmad Hassan Yusuf Ibrahim
Okafor Okoro Adeyemi Mensah Owusu Boateng Osei Nwosu Eze Ogunleye Afolabi
Davies Evans Hughes Jenkins Pritchard Llewellyn Griffiths Rees Powell Vaughan
Jones Thomas Roberts Lewis Morgan Williams Edwards Price Owen Phillips
MacDonald McDonald Campbell Stewart Robertson Thomson Murray Fraser Cameron
Ritchie Sinclair Docherty McLeod Mackenzie McKenzie Paterson Crawford
Whitehead Ashworth Greenwood Ramsbottom Sutcliffe Hargreaves Atkinson Pickering
Fitzgerald O'Brien O'Connor O'Neill O'Sullivan Murphy Kelly Walsh Byrne Ryan
Clarke Shaw Cooper Wright Turner Harrison Thompson Robinson Watson Walker
Smith Taylor Brown Wilson Johnson Jackson Martin White Green Wood Hall Baker
Hill Scott Young King Allen Mitchell Anderson Bennett Parker Davis Miller Cook
""".split()

# Given names common in the UK that the 1990 US list lacks or ranks low,
# written for mint.
UK_GIVEN = """
Mohammed Muhammad Mohammad Ahmed Ali Omar Yusuf Ibrahim Hamza Imran Amir Bilal
Priya Aisha Ayesha Fatima Zainab Maryam Amina Noor Yasmin Nadia Samira Leila
Ravi Rajesh Sanjay Deepak Arjun Vikram Anil Sunil Kiran Sunita Anjali Nisha
Pooja Meena Asha Gurpreet Harpreet Manpreet Jaspreet Sukhdeep Parminder
Chidi Chinedu Ngozi Chiamaka Adaeze Oluwaseun Tunde Kwame Kofi Ama Abena
Siobhan Niamh Aoife Ciara Ciaran Declan Eoin Sinead Roisin Padraig
Eilidh Morag Mhairi Hamish Callum Fraser Euan Ewan Iain Alasdair Lachlan
Rhys Cerys Dafydd Gareth Sian Bethan Ffion Rhian Owain Gethin Eleri Iwan
Alfie Archie Freya Isla Poppy Harriet Imogen Phoebe Niall Liam Ellie Millie
Nigel Clive Trevor Graham Geoff Gemma Kirsty Leanne Stacey Jodie Carly
""".split()


def load(path):
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4:
            yield parts[0].lower(), float(parts[1]), int(parts[3])


def title(name):
    return "-".join(p[:1].upper() + p[1:] for p in name.split("-"))


def main():
    src = Path(sys.argv[1])
    out = Path(__file__).resolve().parent
    given = {
        n
        for f in ("dist.female.first", "dist.male.first")
        for n, freq, _ in load(src / f)
        if freq >= 0.01 and n not in STOP | PLACES and len(n) > 2
    }
    surnames = {
        n
        for n, _, rank in load(src / "dist.all.last")
        if rank <= 5000 and n not in COMMON_WORDS | PLACES and len(n) > 2
    }
    surnames |= {s.lower() for s in UK_SURNAMES}
    given |= {g.lower() for g in UK_GIVEN}
    header = "# {} (see README.md: US Census 1990 via PyPI names 0.3.0, public domain; trimmed)\n"
    (out / "given.txt").write_text(
        header.format("given names") + "".join(title(n) + "\n" for n in sorted(given)))
    (out / "surnames.txt").write_text(
        header.format("surnames") + "".join(title(n) + "\n" for n in sorted(surnames)))


if __name__ == "__main__":
    main()
