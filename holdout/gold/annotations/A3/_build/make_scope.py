import json
SEEDS='/work/main/holdout/seeds/'
def region(t, start_str, end_str, why, occ=1, include_end=True):
    # find start_str (occ-th occurrence), then end_str after it
    s=-1
    for _ in range(occ):
        s=t.index(start_str, s+1)
    e=t.index(end_str, s)+ (len(end_str) if include_end else 0)
    return {"raw_start":s,"raw_end":e,"why":why,"head":t[s:s+30],"tail":t[e-30:e]}

out={"_doc":"Annotator A3: raw-text regions of h09-h12 that the guidelines put out of scope (Decisions 1-3, 66: site chrome, newsletter box, section labels, bylines, date lines, datelines, share buttons, teasers, tags/comments/related/footer, link URLs, pull-quote duplicates, wire slug, cover publisher/series label, running heads and page numbers). Offsets are character offsets into the raw file decoded as UTF-8; head/tail are the first/last 30 characters of each region. Nothing inside a region is annotated.",
     "excluded":{}, "double_annotated":{}}

d='h09_lake_chad_wire'; t=open(SEEDS+d+'.txt',encoding='utf-8').read()
out['excluded'][d]=[
 region(t,'NIGERIA-SECURITY/LAKECHAD','(UPDATE 2)','wire slug / topic code (all-caps page furniture)'),
 region(t,'By Aminu Yakubu','Nassour','byline'),
 region(t,'Published Tue','Updated 7:05pm GMT','publication date line (document metadata)'),
 region(t,'MAIDUGURI, Nigeria','(Trans-Sahara Press) - ','dateline including the agency credit (document metadata)'),
 region(t,'(Reporting by','Ed Marston)','reporting, writing and editing credits (byline)'),
]
d='h10_niger_agadez_report'; t=open(SEEDS+d+'.txt',encoding='utf-8').read()
out['excluded'][d]=[
 region(t,'57\n\nCrossroads','the State in Niger','page number and running head at page break'),
 region(t,'58\n\nChapter 3','Rents and Repression\n\nTable'[:len('Rents and Repression')],'page number and running head at page break'),
 region(t,'59\n\nCrossroads','the State in Niger','page number and running head at page break'),
 {"raw_start":len(t.rstrip('\n'))-2,"raw_end":len(t.rstrip('\n')),"why":"page number","head":None,"tail":None},
]
d='h11_morocco_algeria_analysis_web'; t=open(SEEDS+d+'.txt',encoding='utf-8').read()
out['excluded'][d]=[
 region(t,'The Maghreb Ledger\nHome','(https://www.maghrebledger.com/subscribe)','site masthead, navigation menu and newsletter sign-up box'),
 region(t,'ANALYSIS / SECURITY','ANALYSIS / SECURITY','section label'),
 region(t,'By Karim Benslimane','Email','byline, date line, reading time and share buttons'),
 region(t,'> "Neither capital','so durable."','pull quote (duplicate of a passage already in the article; first occurrence kept)',occ=1),
 region(t,'(https://minurso.unmissions.org/)','(https://minurso.unmissions.org/)','link URL'),
 region(t,'**Also read:**','spain-sahara-shift-one-year-on)','"Also read" teaser link'),
 region(t,'> "Neither capital','so durable."','pull quote (second repeat of a passage already in the article)',occ=2),
 region(t,'Tags: Morocco','Instagram | YouTube','topic tags, comment count, "Related articles" teasers, site footer'),
]
d='h12_mali_security_brief'; t=open(SEEDS+d+'.txt',encoding='utf-8').read()
out['excluded'][d]=[
 region(t,'SAHEL SECURITY OBSERVATORY','Policy Brief No. 14','cover: publisher name (all caps) and series label'),
]
# fill head/tail for page number
for d,regs in out['excluded'].items():
    t=open(SEEDS+d+'.txt',encoding='utf-8').read()
    for r in regs:
        r['head']=t[r['raw_start']:r['raw_start']+30]; r['tail']=t[max(r['raw_start'],r['raw_end']-30):r['raw_end']]
        print(d, r['raw_start'], r['raw_end'], r['why'], repr(t[r['raw_start']:r['raw_end']]) if r['raw_end']-r['raw_start']<200 else (repr(r['head']), repr(r['tail'])))
json.dump(out, open('scope.json','w'), ensure_ascii=False, indent=1)
