from lib import *
LY, TD = "LY", "TD"
LNA = "Libyan National Army"; GNU = "Government of National Unity"; KH = "Khalifa Haftar"
UNSMIL = "United Nations Support Mission in Libya"; FACT = "Front for Change and Concord in Chad"
RSF = "Rapid Support Forces"
# title
P("Fezzan","region",LY); P("Libya","country",LY)
# p1
P("Fezzan","region",LY); P("Sabha","city",LY)
Q("nearly 800 km",800,"km",None,"approximately","distance")
P("Tripoli","city",LY); P("Kufra","city",LY); P("Libya","country",LY)
Q("two governments",2,"count","government","exact","other")
# p2
F("Muammar Qadhafi","","Muammar Gaddafi"); Y("2011",2011,mod="after")
G("Awlad Suleiman","other"); P("Sebha","city",LY,"Sabha"); P("Ubari","city",LY)
Y("2014",2014); Y("2015",2015)
P("Murzuq","city",LY); M("August 2019",2019,8); F("Khalifa Haftar","",KH)
Q("more than 40 people",40,"person","people","more_than","casualties")
# p3
F("Khalifa Haftar","Field Marshal",KH)
G("Libyan National Army","armed_group",LNA); G("LNA","armed_group",LNA); G("LNA","armed_group",LNA)
IV("early 2019","2019-01-01","2019-04-30","year")
P("Sabha","city",LY); P("Sharara","facility",LY,"Sharara oil field"); P("Tripoli","city",LY)
M("that April",2019,4)
F("Saddam","son","Saddam Haftar"); G("Tariq bin Ziyad brigade","armed_group","Tariq bin Ziyad Brigade")
G("LNA","armed_group",LNA); P("Fezzan","region",LY)
F("Abdulrazek al-Nadhouri","Lt. Gen."); G("LNA","armed_group",LNA); P("Benghazi","city",LY)
# p4
P("Tripoli","city",LY); G("Government of National Unity","state_body",GNU); G("GNU","state_body",GNU)
F("Abdul Hamid Dbeibah","Prime Minister"); G("GNU","state_body",GNU); P("Jufra","region",LY)
F("Imad Trabelsi","Interior Minister"); P("al-Wigh","city",LY); P("Qatrun","city",LY)
G("House of Representatives","state_body","House of Representatives (Libya)"); F("Aguila Saleh","speaker")
P("Tripoli","city",LY); P("Murzuq","city",LY); G("LNA","armed_group",LNA)
# quote
P("Tripoli","city",LY); P("Benghazi","city",LY)
F("Mohammed Adam Kellei","Toubou elder and municipal councillor in Murzuq"); P("Murzuq","city",LY)
# p5
P("Libya","country",LY); G("United Nations","international")
G("Panel of Experts on Libya","international"); G("Sudan Liberation Army","armed_group")
IV("2019–2020","2019-01-01","2020-12-31","range"); P("Tripoli","city",LY)
G("Front for Change and Concord in Chad","armed_group",FACT); G("FACT","armed_group",FACT)
P("Jufra","region",LY); G("LNA","armed_group",LNA); M("April 2021",2021,4)
P("Chad","country",TD); F("Idriss Déby","Chad’s president","Idriss Déby Itno"); G("FACT","armed_group",FACT)
P("Kouri Bougoudi","city",TD); P("Tibesti","feature",TD)
# p6
P("Sudan","country","SD"); NULLD("last year","year"); P("Kufra","city",LY)
Q("tens of thousands of Sudanese refugees",None,"person","refugee","approximately","other",low=20000)
P("Libya","country",LY); G("Rapid Support Forces","armed_group",RSF); G("RSF","armed_group",RSF)
P("Darfur","region","SD"); G("LNA","armed_group",LNA); G("RSF","armed_group",RSF); P("Kufra","city",LY)
F("Haftar","",KH); P("Sudan","country","SD"); P("Libya","country",LY)
# p7
P("Chad","country",TD); F("Mahamat Idriss Déby",""); NULLD("this spring","season")
P("N’Djamena","city",TD,"N'Djamena"); P("Benghazi","city",LY); NULLD("Last year","year"); G("LNA","armed_group",LNA)
# p8
G("Wagner Group","armed_group"); P("Tripoli","city",LY); G("Wagner","armed_group","Wagner Group")
NULLD("last year","year"); P("Moscow","city","RU"); G("Africa Corps","state_body")
P("al-Jufra","region",LY,"Jufra"); P("Brak al-Shati","city",LY); P("Russia","country","RU")
P("Fezzan","region",LY); P("Mali","country","ML"); P("Niger","country","NE"); F("Hifter","",KH)
# p9
G("UN Support Mission in Libya","international",UNSMIL); G("UNSMIL","international",UNSMIL)
P("Tripoli","city",LY); P("Benghazi","city",LY)
F("Abdoulaye Bathily",""); G("UNSMIL","international",UNSMIL); NULLD("this spring","season")
Y("2021",2021); P("Sabha","city",LY); F("Saif al-Islam Gaddafi",""); P("Sabha","city",LY)
# quote
P("Geneva","city","CH"); P("Tunis","city","TN")
F("Ousmane Ag Akly","Tuareg trader in Ubari"); P("Ubari","city",LY); P("Sebha","city",LY,"Sabha"); P("Niger","country","NE")
# p10
P("Libya","country",LY); P("Fezzan","region",LY); G("UNSMIL","international",UNSMIL)
F("Qadhafi","","Muammar Gaddafi"); P("Libya","country",LY); P("Kufra","city",LY); P("Ghat","city",LY)
G("LNA","armed_group",LNA)
# p11
G("GNU","state_body",GNU); NULLD("last year","year")
write("../h08_fezzan_oped.jsonl")
