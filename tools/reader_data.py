#!/usr/bin/env python3
"""Training-data pipeline for the extractive question-answering reader (SQuAD 2.0).

Commands
--------
  python3 tools/reader_data.py build [--seed 13] [--out models/reader-data]
  python3 tools/reader_data.py check FILE.json.gz
  python3 tools/reader_data.py generate [--seed 13] [--count N] [--sample K]   (internal)

Design
------
Two sources of passages are merged:

* Handwritten passages, one JSON object per line in
  models/reader-data/src/handwritten/*.jsonl:
  {"id", "title", "context", "qas": [{"question", "answer": "exact substring" | null}]}.
  Every line is validated on its own; a bad line is reported as file:line with the
  reason and skipped, the rest still load (files may be half written).

* Generated passages (about 6,000, ~5 questions each, ~35 % unanswerable). A passage is
  a *story*: one LEAD sentence template of a theme, 0-3 DETAIL templates of the same
  theme (or generic ones), and 0-2 DISTRACTOR sentences that carry other numbers,
  names and places. Templates are strings with slots, e.g.
  ``{org} arrested {n_arr:num 3 60} people in {city}``.  A slot is drawn once per
  story and reused wherever the same name appears (also in questions), so entities
  stay consistent.  The renderer records the character span of every slot, so each
  question's answer is an exact span of the context by construction ("about 15",
  names without titles, organisations without their article).

  Every question belongs to a *fact key* (e.g. ``police.arrest_count``).  A passage
  never contains two sentences answering the same key, so answers are unambiguous.
  Unanswerable questions come from three strategies, each safe by construction:
    - swap:    an answerable question with one entity (place, person, organisation,
               outlet, year, weekday ...) replaced by one that appears nowhere in the
               passage ("How many were arrested in Canada?" when arrests were in Mexico);
    - missing: a question of the same theme whose fact key the passage lacks;
    - cross:   a question from an earlier passage of the same theme whose named
               entities are all absent from this passage.
  Questions come in formal, paraphrased, chat ("~" prefix: lower case, no question
  mark, contractions) and follow-up ("+" prefix: "and where was it based") styles;
  formal ones are also turned into chat/follow-up style at random.

Build
-----
Offsets are the first occurrence of the answer text and are verified.  The split is
by passage: sha256("<seed>:<passage id>") < 12 % -> test; handwritten and generated
passages are split separately (and at least one handwritten passage goes to test).
Outputs are gzipped SQuAD 2.0 JSON written reproducibly (gzip mtime 0, sorted keys,
passages sorted by id): train.json.gz, test.json.gz, test-handwritten.json.gz, plus
stats.json.  Text mentioning reserved evaluation content (FORBIDDEN_STRINGS) is
rejected wherever it comes from, with a message.

Standard library only (Python 3.11).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import random
import re
import string
import sys
import time
from collections import Counter, defaultdict, deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "models" / "reader-data"
DEFAULT_HANDWRITTEN = ROOT / "models" / "reader-data" / "src" / "handwritten"
DEFAULT_SEED = 13
DEFAULT_COUNT = 6000
TEST_FRACTION = 0.12
UNANSWERABLE_RATE = 0.375  # per-question draw; capped per passage, lands near 35 %

# Reserved for evaluation: no passage containing these (case-insensitive) may be used.
FORBIDDEN_STRINGS = ("uzbek", "uzbekistan", "adrienne watson", "yuma")


def forbidden_hits(*texts: str) -> list[str]:
    """Reserved strings (and the reserved story's combination) found in the texts."""
    low = " ".join(t for t in texts if isinstance(t, str)).lower()
    hits = [s for s in FORBIDDEN_STRINGS if s in low]
    if "asylum" in low and ("isis" in low or "islamic state" in low) and "smuggl" in low:
        hits.append("asylum seekers + ISIS-linked smuggler story")
    return hits


# =====================================================================================
# Slot vocabularies
# =====================================================================================

FIRST_NAMES = """
James Mary Robert Patricia Michael Linda David Elizabeth Thomas Sarah Daniel Karen Matthew
Emily Andrew Rachel Christopher Laura Joshua Hannah Benjamin Olivia Samuel Grace Nathan Chloe
Owen Megan Liam Fiona Carlos Maria Jose Lucia Miguel Sofia Javier Camila Diego Valentina
Alejandro Isabel Pablo Carmen Rafael Gabriela Andres Daniela Luis Paula Mohammed Fatima Ahmed
Aisha Omar Layla Hassan Mariam Youssef Noor Khalid Samira Tariq Huda Karim Rania Ibrahim Zainab
Mustafa Salma Kwame Amara Chinedu Ngozi Oluwaseun Adaeze Tendai Wanjiru Kofi Abena Thabo Nomvula
Babajide Chiamaka Jabari Zawadi Sipho Lindiwe Moussa Awa Rahul Priya Arjun Ananya Vikram Deepa
Sanjay Kavita Rohan Meera Imran Ayesha Farhan Nadia Ravi Sunita Wei Mei Jun Lan Hiroshi Yuki
Takeshi Haruka Kenji Sakura Min-jun Ji-woo Seo-yeon Hyun-woo Thanh Linh Minh Somchai Siriporn
Dmitri Olga Sergei Natalia Ivan Anastasia Pavel Irina Tomasz Katarzyna Piotr Agnieszka Jan Eva
Milan Jelena Nikola Ana Lars Ingrid Erik Astrid Mikael Sigrid Henrik Freya Pierre Camille Antoine
Claire Julien Margaux Hans Greta Lukas Lena Matteo Giulia Lorenzo Francesca Giovanni Chiara Mehmet
Elif Emre Zeynep Reza Parisa Dariush Shirin Joao Beatriz Thiago Larissa Mateus Fernanda Aroha
Tane Sione Mele Avi Noa Yosef Tamar Nikos Eleni Yiannis Siobhan Cormac Aoife Declan Maricel Jomar
Bolat Aigerim Nurlan Dinara Tigran Anahit Giorgi Nino Abebe Selam Tesfaye Hiwot Kagiso Naledi
""".split()

LAST_NAMES = """
Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson Martin
Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams
Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart
Morris Murphy Cook Rogers Morgan Cooper Peterson Reed Bailey Bell Kelly Howard Ward Cox
Richardson Wood Brooks Bennett Gray Hughes Price Sanders Myers Ross Foster Garcia Rodriguez
Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Morales
Ortiz Castillo Vargas Romero Mendoza Herrera Medina Aguilar Navarro Haddad Khalil Nasser Mansour
Saleh Hamdan Farouk Aziz Rahman Hussein Abdullah Karimi Hosseini Tehrani Sadeghi Okafor Mensah
Osei Adeyemi Nwosu Kamau Otieno Mwangi Banda Phiri Dlamini Nkosi Diallo Traore Keita Tadesse
Balogun Eze Onyango Mutua Patel Sharma Singh Kumar Gupta Reddy Iyer Nair Chowdhury Khan Malik
Qureshi Siddiqui Hossain Perera Fernando Wang Zhang Liu Chen Yang Huang Zhao Zhou Tanaka Suzuki
Sato Watanabe Yamamoto Nakamura Kobayashi Kim Park Choi Jung Nguyen Tran Pham Ivanov Petrov
Smirnov Volkov Kuznetsov Popescu Ionescu Novak Kowalski Nowak Wojcik Horvat Kovac Jovanovic
Petrovic Dimitrov Georgiou Papadopoulos Nielsen Hansen Johansson Lindqvist Andersen Virtanen
Korhonen Dubois Lefebvre Moreau Laurent Girard Muller Schmidt Schneider Fischer Weber Becker
Rossi Russo Bianchi Romano Esposito Ricci Silva Santos Oliveira Souza Costa Pereira Almeida
Yilmaz Kaya Demir Celik Sahin O'Brien Byrne Gallagher Doyle Cohen Levi Mizrahi Friedman Reyes
Cruz Bautista Villanueva Tan Lim Wong Nurmagambetov Sargsyan Beridze Haile Molefe Achterberg
""".split()

# "country|demonym|city, city, ..."; a leading "the " marks a country that takes the article.
COUNTRIES_RAW = """
Afghanistan|Afghan|Kabul, Herat, Kandahar
Albania|Albanian|Tirana, Durres
Algeria|Algerian|Algiers, Oran
Angola|Angolan|Luanda, Huambo
Argentina|Argentine|Buenos Aires, Cordoba, Rosario
Armenia|Armenian|Yerevan, Gyumri
Australia|Australian|Sydney, Melbourne, Brisbane, Perth
Austria|Austrian|Vienna, Graz, Salzburg
Azerbaijan|Azerbaijani|Baku, Ganja
Bahrain|Bahraini|Manama
Bangladesh|Bangladeshi|Dhaka, Chittagong
Barbados|Barbadian|Bridgetown
Belarus|Belarusian|Minsk, Gomel
Belgium|Belgian|Brussels, Antwerp, Ghent
Belize|Belizean|Belize City
Benin|Beninese|Cotonou, Porto-Novo
Bhutan|Bhutanese|Thimphu
Bolivia|Bolivian|La Paz, Cochabamba
Bosnia|Bosnian|Sarajevo, Mostar
Botswana|Botswanan|Gaborone, Francistown
Brazil|Brazilian|Sao Paulo, Rio de Janeiro, Brasilia, Recife
Bulgaria|Bulgarian|Plovdiv, Varna
Burkina Faso|Burkinabe|Ouagadougou, Bobo-Dioulasso
Cambodia|Cambodian|Phnom Penh, Siem Reap
Cameroon|Cameroonian|Yaounde, Douala
Canada|Canadian|Toronto, Montreal, Vancouver, Ottawa, Calgary
Chad|Chadian|N'Djamena
Chile|Chilean|Santiago, Valparaiso
China|Chinese|Beijing, Shanghai, Guangzhou, Wuhan, Chengdu
Colombia|Colombian|Bogota, Medellin, Cali
Costa Rica|Costa Rican|San Jose, Limon
Croatia|Croatian|Zagreb, Rijeka
Cuba|Cuban|Havana, Santiago de Cuba
Cyprus|Cypriot|Nicosia, Limassol
the Czech Republic|Czech|Prague, Brno
the Democratic Republic of Congo|Congolese|Kinshasa, Goma, Lubumbashi
Denmark|Danish|Copenhagen, Aarhus
the Dominican Republic|Dominican|Santo Domingo
Ecuador|Ecuadorian|Quito, Guayaquil
Egypt|Egyptian|Cairo, Alexandria, Giza
El Salvador|Salvadoran|San Salvador
Eritrea|Eritrean|Asmara
Estonia|Estonian|Tallinn, Tartu
Ethiopia|Ethiopian|Addis Ababa, Dire Dawa, Gondar
Fiji|Fijian|Suva
Finland|Finnish|Helsinki, Tampere
France|French|Paris, Lyon, Marseille, Toulouse
Gabon|Gabonese|Libreville
Georgia|Georgian|Tbilisi, Batumi
Germany|German|Berlin, Munich, Hamburg, Frankfurt, Cologne
Ghana|Ghanaian|Accra, Kumasi
Greece|Greek|Athens, Thessaloniki
Guatemala|Guatemalan|Guatemala City, Quetzaltenango
Haiti|Haitian|Port-au-Prince
Honduras|Honduran|Tegucigalpa, San Pedro Sula
Hungary|Hungarian|Budapest, Debrecen
Iceland|Icelandic|Reykjavik
India|Indian|New Delhi, Mumbai, Bengaluru, Chennai, Kolkata
Indonesia|Indonesian|Jakarta, Surabaya, Bandung
Iran|Iranian|Tehran, Isfahan, Mashhad
Iraq|Iraqi|Baghdad, Basra, Erbil
Ireland|Irish|Dublin, Cork, Galway
Israel|Israeli|Tel Aviv, Haifa
Italy|Italian|Rome, Milan, Naples, Turin
Jamaica|Jamaican|Kingston, Montego Bay
Japan|Japanese|Tokyo, Osaka, Nagoya, Sapporo
Jordan|Jordanian|Amman, Irbid
Kazakhstan|Kazakh|Almaty, Astana
Kenya|Kenyan|Nairobi, Mombasa, Kisumu
Kuwait|Kuwaiti|Kuwait City
Kyrgyzstan|Kyrgyz|Bishkek, Osh
Laos|Laotian|Vientiane
Latvia|Latvian|Riga
Lebanon|Lebanese|Beirut, Sidon
Liberia|Liberian|Monrovia
Libya|Libyan|Tripoli, Benghazi
Lithuania|Lithuanian|Vilnius, Kaunas
Luxembourg|Luxembourgish|Esch-sur-Alzette
Madagascar|Malagasy|Antananarivo
Malawi|Malawian|Lilongwe, Blantyre
Malaysia|Malaysian|Kuala Lumpur, Penang
Mali|Malian|Bamako, Timbuktu
Malta|Maltese|Valletta
Mauritius|Mauritian|Port Louis
Mexico|Mexican|Mexico City, Guadalajara, Monterrey, Tijuana
Moldova|Moldovan|Chisinau
Mongolia|Mongolian|Ulaanbaatar
Montenegro|Montenegrin|Podgorica
Morocco|Moroccan|Rabat, Casablanca, Marrakesh
Mozambique|Mozambican|Maputo, Beira
Myanmar|Burmese|Yangon, Mandalay
Namibia|Namibian|Windhoek
Nepal|Nepali|Kathmandu, Pokhara
the Netherlands|Dutch|Amsterdam, Rotterdam, The Hague
New Zealand|New Zealand|Auckland, Wellington, Christchurch
Nicaragua|Nicaraguan|Managua
Nigeria|Nigerian|Lagos, Abuja, Kano, Ibadan
North Macedonia|Macedonian|Skopje
Norway|Norwegian|Oslo, Bergen
Oman|Omani|Muscat
Pakistan|Pakistani|Karachi, Lahore, Islamabad, Peshawar
Panama|Panamanian|Panama City
Papua New Guinea|Papua New Guinean|Port Moresby
Paraguay|Paraguayan|Asuncion
Peru|Peruvian|Lima, Cusco, Arequipa
the Philippines|Filipino|Manila, Cebu, Davao
Poland|Polish|Warsaw, Krakow, Gdansk
Portugal|Portuguese|Lisbon, Porto
Qatar|Qatari|Doha
Romania|Romanian|Bucharest, Cluj-Napoca
Russia|Russian|Moscow, St Petersburg, Novosibirsk
Rwanda|Rwandan|Kigali
Saudi Arabia|Saudi|Riyadh, Jeddah
Senegal|Senegalese|Dakar, Touba
Serbia|Serbian|Belgrade, Novi Sad
Sierra Leone|Sierra Leonean|Freetown
Slovakia|Slovak|Bratislava, Kosice
Slovenia|Slovenian|Ljubljana
Somalia|Somali|Mogadishu, Hargeisa
South Africa|South African|Johannesburg, Cape Town, Durban, Pretoria
South Korea|South Korean|Seoul, Busan, Incheon
Spain|Spanish|Madrid, Barcelona, Valencia, Seville
Sri Lanka|Sri Lankan|Colombo, Kandy
Sweden|Swedish|Stockholm, Gothenburg, Malmo
Switzerland|Swiss|Zurich, Geneva, Bern, Basel
Syria|Syrian|Damascus, Aleppo
Taiwan|Taiwanese|Taipei, Kaohsiung
Tajikistan|Tajik|Dushanbe
Tanzania|Tanzanian|Dar es Salaam, Dodoma, Arusha
Thailand|Thai|Bangkok, Chiang Mai, Phuket
Togo|Togolese|Lome
Trinidad and Tobago|Trinidadian|Port of Spain
Tunisia|Tunisian|Tunis, Sfax
Turkey|Turkish|Istanbul, Ankara, Izmir
Turkmenistan|Turkmen|Ashgabat
Uganda|Ugandan|Kampala, Gulu, Entebbe
Ukraine|Ukrainian|Kyiv, Kharkiv, Odesa, Lviv
the United Arab Emirates|Emirati|Dubai, Abu Dhabi
the United Kingdom|British|London, Manchester, Birmingham, Glasgow
the United States|American|New York, Chicago, Houston, Los Angeles, Atlanta, Denver, Seattle
Uruguay|Uruguayan|Montevideo
Venezuela|Venezuelan|Caracas, Maracaibo
Vietnam|Vietnamese|Hanoi, Ho Chi Minh City, Da Nang
Yemen|Yemeni|Sanaa, Aden
Zambia|Zambian|Lusaka, Ndola
Zimbabwe|Zimbabwean|Harare, Bulawayo
"""

# "kind|full name|acronym[|extra]"; "the " marks forms that take the article.
# kinds: law, screen, health, healthreg, aid, intl, regulator, space, sportbody, science
ORGANISATIONS_RAW = """
law|the Federal Bureau of Investigation|the FBI
law|the Drug Enforcement Administration|the DEA
law|the Bureau of Alcohol, Tobacco, Firearms and Explosives|the ATF
law|the International Criminal Police Organization|Interpol
law|the European Union Agency for Law Enforcement Cooperation|Europol
law|the National Crime Agency|the NCA
law|the Royal Canadian Mounted Police|the RCMP
law|the Australian Federal Police|the AFP
law|Homeland Security Investigations|HSI
law|the US Marshals Service|the USMS
law|the Serious Fraud Office|the SFO
law|the National Investigation Agency|the NIA
law|the Central Bureau of Investigation|the CBI
law|the Federal Criminal Police Office|the BKA
law|the National Anti-Corruption Bureau|NABU
law|the Economic and Financial Crimes Commission|the EFCC
law|the Directorate of Criminal Investigations|the DCI
law|the Anti-Corruption Commission|the ACC
law|the National Bureau of Investigation|the NBI
law|the Guardia Civil|
law|the Carabinieri|
screen|Customs and Border Protection|CBP
screen|the Transportation Security Administration|the TSA
screen|the Border Force|
screen|the Canada Border Services Agency|the CBSA
screen|the European Border and Coast Guard Agency|Frontex
screen|the Animal and Plant Health Inspection Service|APHIS
screen|the Food Safety and Inspection Service|the FSIS
screen|the Port Health Authority|the PHA
screen|the Australian Border Force|the ABF
screen|the Food Standards Agency|the FSA
health|the World Health Organization|the WHO
health|the Centers for Disease Control and Prevention|the CDC
health|the European Centre for Disease Prevention and Control|the ECDC
health|the Africa Centres for Disease Control and Prevention|Africa CDC
health|the Pan American Health Organization|PAHO
health|Medecins Sans Frontieres|MSF
health|the United Nations Children's Fund|UNICEF
health|the National Institutes of Health|the NIH
health|the UK Health Security Agency|the UKHSA
health|Gavi, the Vaccine Alliance|Gavi
healthreg|the Food and Drug Administration|the FDA
healthreg|the European Medicines Agency|the EMA
healthreg|the Medicines and Healthcare products Regulatory Agency|the MHRA
healthreg|Health Canada|
healthreg|the Therapeutic Goods Administration|the TGA
healthreg|the Pharmaceuticals and Medical Devices Agency|the PMDA
healthreg|the Brazilian Health Regulatory Agency|Anvisa
healthreg|the National Agency for Food and Drug Administration and Control|NAFDAC
healthreg|the South African Health Products Regulatory Authority|SAHPRA
healthreg|the Central Drugs Standard Control Organisation|the CDSCO
aid|the World Food Programme|the WFP
aid|the Office for the Coordination of Humanitarian Affairs|OCHA
aid|the International Organization for Migration|the IOM
aid|Save the Children|
aid|Oxfam|
aid|CARE International|
aid|the International Rescue Committee|the IRC
aid|the Norwegian Refugee Council|the NRC
aid|World Vision|
aid|the Federal Emergency Management Agency|FEMA
aid|the National Disaster Management Authority|the NDMA
aid|the International Committee of the Red Cross|the ICRC
aid|the International Federation of Red Cross and Red Crescent Societies|the IFRC
aid|the United Nations Development Programme|the UNDP
intl|the United Nations|the UN
intl|the North Atlantic Treaty Organization|NATO
intl|the African Union|the AU
intl|the European Union|the EU
intl|the Association of Southeast Asian Nations|ASEAN
intl|the Organization of American States|the OAS
intl|the World Trade Organization|the WTO
intl|the International Monetary Fund|the IMF
intl|the World Bank|
intl|the Organization for Security and Co-operation in Europe|the OSCE
intl|the Gulf Cooperation Council|the GCC
intl|the Economic Community of West African States|ECOWAS
intl|the Shanghai Cooperation Organisation|the SCO
intl|the Organisation for Economic Co-operation and Development|the OECD
intl|the Arab League|
intl|the Southern African Development Community|SADC
intl|the Pacific Islands Forum|
intl|the Caribbean Community|Caricom
intl|the Intergovernmental Authority on Development|IGAD
intl|the International Atomic Energy Agency|the IAEA
regulator|the Federal Trade Commission|the FTC
regulator|the Competition and Markets Authority|the CMA
regulator|the European Commission|
regulator|the Competition Commission of India|the CCI
regulator|the Australian Competition and Consumer Commission|the ACCC
regulator|the Federal Cartel Office|
regulator|the Japan Fair Trade Commission|the JFTC
regulator|the State Administration for Market Regulation|SAMR
regulator|the Competition Bureau|
regulator|the Securities and Exchange Commission|the SEC
regulator|the Financial Conduct Authority|the FCA
space|the National Aeronautics and Space Administration|NASA|Cape Canaveral
space|the European Space Agency|ESA|Kourou in French Guiana
space|the Japan Aerospace Exploration Agency|JAXA|the Tanegashima Space Center
space|the Indian Space Research Organisation|ISRO|Sriharikota
space|the China National Space Administration|the CNSA|the Wenchang launch site
space|the Korea Aerospace Research Institute|KARI|the Naro Space Center
space|the Russian space agency|Roscosmos|the Vostochny Cosmodrome
sportbody|the International Federation of Association Football|FIFA
sportbody|the International Olympic Committee|the IOC
sportbody|the World Anti-Doping Agency|WADA
sportbody|the Union of European Football Associations|UEFA
sportbody|World Athletics|
sportbody|the Court of Arbitration for Sport|the CAS
sportbody|the Confederation of African Football|CAF
sportbody|the Athletics Integrity Unit|the AIU
sportbody|the International Tennis Integrity Agency|the ITIA
sportbody|the International Testing Agency|the ITA
sportbody|the International Cycling Union|the UCI
doping|the World Anti-Doping Agency|WADA
doping|the Athletics Integrity Unit|the AIU
doping|the International Tennis Integrity Agency|the ITIA
doping|the International Testing Agency|the ITA
doping|the Court of Arbitration for Sport|the CAS
doping|the US Anti-Doping Agency|USADA
doping|UK Anti-Doping|UKAD
doping|the Japan Anti-Doping Agency|JADA
doping|the Anti-Doping Agency of Kenya|ADAK
doping|Sport Integrity Australia|
science|the National Science Foundation|the NSF
science|the European Research Council|the ERC
science|the Wellcome Trust|
science|the Max Planck Society|
science|the Japan Society for the Promotion of Science|the JSPS
science|the Royal Society|
science|the National Research Foundation|the NRF
science|the Australian Research Council|the ARC
science|the Howard Hughes Medical Institute|HHMI
science|the Swiss National Science Foundation|the SNSF
science|UK Research and Innovation|UKRI
science|the German Research Foundation|the DFG
"""

OUTLETS_RAW = """
Reuters
the Associated Press
Agence France-Presse
Bloomberg
the BBC
CNN
Al Jazeera
the Guardian
the New York Times
the Washington Post
the Wall Street Journal
the Financial Times
Le Monde
Der Spiegel
El Pais
NHK
Yonhap
Kyodo News
the Times of India
the Hindu
Dawn
the Daily Nation
the Mail & Guardian
Folha de S.Paulo
Clarin
the Sydney Morning Herald
the Globe and Mail
CBC News
Deutsche Welle
France 24
Euronews
the South China Morning Post
the Straits Times
the Jakarta Post
Haaretz
the Irish Times
Corriere della Sera
La Repubblica
NPR
Politico
Axios
ABC News
Sky News
the Economist
Channel News Asia
the East African
Premium Times
the Daily Star
"""

COMPANIES = """
Northwind Logistics|Brightwater Energy|Solara Motors|Meridian Bank|Atlas Mining|Helix Pharmaceuticals
Bluepeak Telecom|Orion Airlines|Vanta Foods|Greenfield Agritech|Tessaro Steel|Kinetix Robotics
Sunhaven Hotels|Quantis Software|Redline Shipping|Polaris Insurance|Evergreen Textiles|Coralis Retail
Harbor Point Capital|Nordvik Paper|Altamira Cement|Zephyr Semiconductors|Lumen Biotech|Crestline Foods
Ironbridge Construction|Silverline Rail|Marlow Chemicals|Halcyon Media|Dunmore Breweries|Pinecrest Electronics
""".replace("\n", "|").strip("|").split("|")

PARTIES = [
    "the National Unity Party", "the Democratic Alliance", "the People's Progressive Party",
    "the Social Reform Movement", "the Green Future Party", "the Liberal Forum",
    "the Workers' Congress", "the New Republic Party", "the Civic Platform Alliance",
    "the Labour and Justice Party", "the Federal Democrats", "the Patriotic Front",
    "the Movement for Change", "the Christian Democratic Union of Centre",
]

LOCAL_BODIES = [
    "the city council", "the municipal transport authority", "the regional water board",
    "the county health department", "the parks department", "the school board",
    "the public works department", "the city planning office", "the municipal fire service",
]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

JOBS = ["director-general", "executive director", "secretary-general", "chief executive",
        "deputy director", "head of operations", "regional director", "president",
        "chief scientist", "general counsel", "chair", "chief operating officer",
        "head of communications", "policy director"]
OFFICIAL_JOBS = ["finance minister", "central bank governor", "provincial governor", "customs chief",
                 "police commissioner", "state oil company executive", "deputy health minister",
                 "tax authority head", "airport director", "ports authority chief", "deputy mayor"]
LEADER_JOBS = ["president", "prime minister", "vice president", "foreign minister",
               "defence minister", "trade minister"]
PORTFOLIOS = ["finance", "health", "defence", "energy", "education", "transport", "agriculture",
              "justice", "interior", "environment", "labour", "tourism"]

SCHEMES = ["counterfeit medicine", "online investment fraud", "cigarette smuggling", "stolen car",
           "illegal logging", "wildlife trafficking", "money laundering", "cyber extortion",
           "credit card fraud", "antiquities trafficking", "illegal gold mining", "fuel theft",
           "counterfeit currency", "illegal online gambling", "pension fraud", "identity theft",
           "phone scam", "cargo theft", "timber smuggling", "fake insurance"]
DOCS = ["passports", "driving licences", "university diplomas", "insurance certificates",
        "land titles", "bank guarantees", "vehicle registration papers", "medical certificates"]
SEIZED = ["cash and jewellery", "weapons and ammunition", "forged documents", "several luxury cars",
          "computers and mobile phones", "counterfeit goods", "gold bars", "packaging equipment",
          "printing presses", "stolen artworks"]
CHARGES = ["fraud", "money laundering", "bribery", "tax evasion", "embezzlement", "forgery",
           "racketeering", "illegal possession of firearms", "abuse of office", "extortion"]
RULINGS = ["a ban on opposition rallies was unconstitutional",
           "the government must hold local elections within six months",
           "a controversial surveillance law violated the right to privacy",
           "the national broadcaster had been unlawfully taken over",
           "a contract for a new airport had been awarded illegally",
           "parliament had overstepped its powers in extending emergency rule"]
SCANDALS = ["a corruption inquiry", "allegations of misuse of public funds", "a row over a housing contract",
            "criticism of the handling of a fuel shortage", "a dispute over budget cuts",
            "a leaked audit report", "protests over rising food prices"]
BILL_GOALS = ["raise the minimum wage", "lower the voting age to 16", "ban single-use plastics",
              "expand access to free school meals", "cut fuel taxes",
              "create an independent anti-corruption court", "reform the pension system",
              "protect whistleblowers", "limit rent increases", "decriminalise defamation"]
GRIEVANCES = ["rising fuel prices", "a proposed tax increase", "cuts to public health spending",
              "the postponement of local elections", "a new mining law", "delays in paying teachers",
              "plans to privatise the water utility", "rising bread prices", "a planned pension reform"]
DEMANDS = ["a recount", "early elections", "an independent inquiry", "the release of detained activists",
           "a national dialogue", "a public apology", "the resignation of the electoral commission"]
DIRS = ["northern", "southern", "eastern", "western", "central", "north-eastern", "south-western",
        "coastal"]
STORM_NAMES = ["Alma", "Bruno", "Celine", "Dario", "Elsa", "Fabian", "Gloria", "Hector", "Iris",
               "Julian", "Kira", "Leon", "Mara", "Nestor", "Opal", "Quentin", "Rhea", "Silas",
               "Tessa", "Victor", "Wanda", "Alvaro", "Bianca", "Cyrus", "Delia", "Emil", "Flora",
               "Gideon", "Hana", "Ivo", "Jasmine", "Kai", "Lorena", "Milo", "Nadine", "Orrin",
               "Petra", "Sabine", "Tobias", "Ursula"]
PRODUCTS = ["smartphones", "electric cars", "laptops", "steel", "home appliances", "solar panels",
            "semiconductors", "furniture", "building materials", "luxury handbags", "pet food",
            "frozen foods"]
MOVES = ["rose", "fell", "jumped", "slid", "climbed", "dropped"]
DISEASES = ["cholera", "measles", "dengue fever", "mpox", "diphtheria", "yellow fever",
            "meningitis", "typhoid", "Lassa fever", "chikungunya", "hepatitis A", "bird flu"]
DRUGS = ["malaria vaccine", "treatment for sickle cell disease", "Alzheimer's drug",
         "weight-loss drug", "antibiotic", "gene therapy for a rare blood disorder",
         "migraine treatment", "dengue vaccine", "tuberculosis treatment", "RSV vaccine"]
UNIVERSITIES = ["the University of Cape Town", "the University of Tokyo", "McGill University",
                "Imperial College London", "the University of Sao Paulo",
                "the National University of Singapore", "Peking University",
                "the University of Melbourne", "ETH Zurich", "the Karolinska Institute",
                "Sorbonne University", "Seoul National University", "Makerere University",
                "the University of Ghana", "the American University of Beirut",
                "the University of Buenos Aires", "the Indian Institute of Science",
                "the University of Toronto", "Heidelberg University", "the University of Oxford",
                "Stanford University", "the University of Edinburgh", "the Aga Khan University",
                "the University of Chile", "Cairo University", "the University of Helsinki",
                "Monash University", "KU Leuven", "the University of Lagos", "Tsinghua University"]
SCORES = ["1-0", "2-1", "2-0", "3-1", "3-2", "4-1", "3-0", "4-2", "2-1", "1-0"]
ROUNDS = ["quarter-finals", "semi-finals", "final", "last 16"]
TOURNAMENTS = ["Continental Cup", "Nations Cup", "World Cup", "Four Nations Trophy",
               "Intercontinental Trophy", "Unity Cup", "Olympic football tournament",
               "Champions Trophy"]
STADIUMS = ["Unity Stadium", "Independence Stadium", "the National Stadium", "Riverside Arena",
            "the Olympic Stadium", "Jubilee Park", "Victory Stadium", "Harbour Stadium",
            "Centenary Stadium", "Liberty Park", "Heroes Stadium", "Lakeside Arena"]
DISCIPLINES = ["sprinter", "marathon runner", "swimmer", "cyclist", "weightlifter", "boxer",
               "high jumper", "tennis player", "wrestler", "rower", "hurdler", "shot putter"]
SUBSTANCES = ["a banned steroid", "erythropoietin", "a prohibited stimulant", "meldonium",
              "nandrolone", "a masking agent", "testosterone", "clenbuterol", "trimetazidine"]
MISSIONS = ["weather satellite", "lunar probe", "Earth observation satellite",
            "communications satellite", "space telescope", "Mars orbiter", "solar observatory",
            "asteroid probe", "navigation satellite"]
JOURNALS = ["Nature", "Science", "the Lancet", "Cell", "PLOS One", "Nature Climate Change",
            "the New England Journal of Medicine", "Science Advances", "the BMJ", "Current Biology",
            "Geophysical Research Letters", "the Journal of Ecology", "Nature Medicine"]
STUDIES = [
    {"text": "coral reefs", "condition": "severe bleaching"},
    {"text": "adults", "condition": "vitamin D deficiency"},
    {"text": "rivers", "condition": "microplastic pollution"},
    {"text": "honeybee colonies", "condition": "viral infection"},
    {"text": "glaciers", "condition": "accelerated melting"},
    {"text": "forests", "condition": "drought stress"},
    {"text": "children", "condition": "anaemia"},
    {"text": "wetlands", "condition": "nitrogen overload"},
    {"text": "seabird colonies", "condition": "bird flu exposure"},
    {"text": "city trees", "condition": "heat damage"},
]
TELESCOPES = ["the James Webb Space Telescope", "the Very Large Telescope",
              "the Atacama Large Millimeter Array", "the Hubble Space Telescope",
              "the Subaru Telescope", "the Keck Observatory", "the Gran Telescopio Canarias",
              "the South African Large Telescope", "the TESS satellite"]
TOPICS = ["maritime security", "climate finance", "food security", "nuclear non-proliferation",
          "regional trade", "water sharing", "cybersecurity", "debt relief", "energy security",
          "public health cooperation", "fisheries management", "disaster preparedness"]
AGREEMENTS = ["free trade", "defence cooperation", "fisheries", "extradition", "energy",
              "border demarcation", "air services", "cultural exchange", "double taxation",
              "student exchange", "port development"]
ACCUSATIONS = ["espionage", "interfering in domestic politics",
               "activities incompatible with their diplomatic status",
               "spying on exiled dissidents", "illegally gathering military information",
               "trying to influence local journalists"]
PROJECTS = ["new cycle lanes", "repairing school roofs", "a new bus depot", "flood defences along the river",
            "expanding the central library", "replacing street lights with LEDs", "affordable housing",
            "a new sports centre", "a tram extension", "upgrading the sewage system"]
BRIDGES = ["Victoria Bridge", "King Street Bridge", "Harbour Bridge", "Old Mill Bridge",
           "Riverside Bridge", "Station Road Bridge", "Central Bridge", "Northgate Bridge",
           "Jubilee Bridge", "Market Bridge"]
FESTIVALS = ["jazz", "film", "book", "food", "lantern", "folk music", "street art", "harvest",
             "science", "comedy"]
DISTRICTS = ["Old Town", "Riverside", "Harbour", "Northgate", "Eastfield", "Hillcrest", "Market",
             "Parkside", "Westend", "Southbank"]
MUSEUMS = ["National Museum", "Museum of Modern Art", "History Museum", "Science Museum",
           "Maritime Museum", "Natural History Museum", "Railway Museum"]
QUOTES = [
    {"text": "We will not be intimidated by threats", "gist": "they would not be intimidated by threats"},
    {"text": "Our priority is the safety of everyone involved",
     "gist": "the safety of everyone involved was the priority"},
    {"text": "This decision was not taken lightly", "gist": "the decision was not taken lightly"},
    {"text": "We need more resources, and we need them now", "gist": "more resources were needed now"},
    {"text": "The figures speak for themselves", "gist": "the figures spoke for themselves"},
    {"text": "We are reviewing every aspect of what happened",
     "gist": "every aspect of what happened was being reviewed"},
    {"text": "There is no evidence of wrongdoing", "gist": "there was no evidence of wrongdoing"},
    {"text": "Families deserve answers", "gist": "families deserved answers"},
    {"text": "We expect to finish the work by the end of the year",
     "gist": "the work would be finished by the end of the year"},
    {"text": "Our teams are working around the clock", "gist": "teams were working around the clock"},
    {"text": "No one should have to wait this long for help",
     "gist": "no one should have to wait this long for help"},
    {"text": "We have learned hard lessons this year", "gist": "hard lessons had been learned"},
]
CLAIMS = ["its budget would be cut by a third next year",
          "an independent review of its procedures was under way",
          "funding shortfalls were forcing staff cuts",
          "new rules would take effect in the spring",
          "it had warned about the problem months ago",
          "talks with the government had stalled",
          "it planned to open two new regional offices",
          "demand for its services had doubled"]

CLAUSE_LISTS = {"RULINGS", "CLAIMS", "BILL_GOALS"}
LISTS = {name: value for name, value in globals().items()
         if name.isupper() and isinstance(value, list) and name not in ("FIRST_NAMES", "LAST_NAMES")}


def _parse_countries():
    out = []
    for line in COUNTRIES_RAW.strip().splitlines():
        name, demonym, cities = line.split("|")
        out.append((name, demonym, [c.strip() for c in cities.split(",")]))
    return out


def _split_article(text: str) -> tuple[str, str]:
    """'the FBI' -> ('the', 'FBI'); 'a row over X' -> ('a', 'row over X')."""
    for art in ("the ", "a ", "an "):
        if text.startswith(art):
            return art.strip(), text[len(art):]
    return "", text


def _parse_orgs():
    by_kind = defaultdict(list)
    for line in ORGANISATIONS_RAW.strip().splitlines():
        parts = line.split("|")
        kind, full, acr = parts[0], parts[1], parts[2]
        by_kind[kind].append({"full": full, "acr": acr or None,
                              "site": parts[3] if len(parts) > 3 else None})
    return by_kind


COUNTRIES = _parse_countries()
ORGS = _parse_orgs()
ORGS["company"] = [{"full": c, "acr": None, "site": None} for c in COMPANIES]
ORGS["party"] = [{"full": p, "acr": None, "site": None} for p in PARTIES]
ORGS["localbody"] = [{"full": p, "acr": None, "site": None} for p in LOCAL_BODIES]
ORGS["outlet"] = [{"full": o, "acr": None, "site": None} for o in OUTLETS_RAW.strip().splitlines()]

# =====================================================================================
# Templates
# =====================================================================================


class Q:
    """A question family about one answer slot.

    phrasings: "|"-separated; a leading "~" marks chat style, "+" follow-up style.
    """

    def __init__(self, answer: str, key: str, phrasings: str):
        self.answer = answer
        self.key = key
        self.phrasings = []
        for p in phrasings.split("|"):
            p = p.strip()
            style = {"~": "chat", "+": "followup"}.get(p[:1], "formal")
            self.phrasings.append((p.lstrip("~+").strip(), style))


class T:
    """A sentence template (several wordings) with its question families."""

    def __init__(self, theme, role, texts, *qs, event=None, covers=(), requires=(), skip_themes=()):
        self.theme, self.role, self.event = theme, role, event
        self.texts = [texts] if isinstance(texts, str) else list(texts)
        self.qs = list(qs)
        self.keys = {q.key for q in self.qs} | set(covers)
        self.requires = [set(r.split("|")) for r in requires]
        self.skip_themes = set(skip_themes)
        self.specs = {}
        self.fields = []
        for text in self.texts:
            fields = set()
            for field, spec in template_fields(text):
                fields.add(field)
                base = field.split(".")[0]
                draw, _ = split_spec(spec)
                if draw:
                    if self.specs.setdefault(base, draw) != draw:
                        raise ValueError(f"slot {base} has two specs in {text!r}")
            self.fields.append(fields)
        for q in self.qs:
            for fields, text in zip(self.fields, self.texts):
                if q.answer not in fields:
                    raise ValueError(f"answer slot {q.answer} missing from {text!r}")
            for p, _ in q.phrasings:
                if q.answer.split(".")[0] in {f.split(".")[0] for f, _ in template_fields(p)}:
                    raise ValueError(f"question {p!r} mentions its own answer slot")

    def eligible(self, theme, keys):
        if self.theme not in (theme, "*") or theme in self.skip_themes:
            return False
        if self.keys & keys:
            return False
        return all(req & keys for req in self.requires)


def template_fields(text):
    for _, field, spec, _ in string.Formatter().parse(text):
        if field is not None:
            yield field, spec or ""


DRAW_KINDS = {"num", "int", "word", "money", "pct", "ord", "pick", "mag", "mtime", "year", "date"}


def split_spec(spec: str):
    """'num 5 40 hectares' -> ('num 5 40 hectares', []); 'pick SCHEMES a' -> ('pick SCHEMES', ['a'])."""
    tokens = spec.split()
    if not tokens or tokens[0] not in DRAW_KINDS:
        return None, tokens
    if tokens[0] in ("num", "int", "word", "money", "pct", "ord"):
        return " ".join(tokens), []
    if tokens[0] == "pick":
        return " ".join(tokens[:2]), tokens[2:]
    return tokens[0], tokens[1:]


TEMPLATES = [
    # ------------------------------------------------------------------ politics
    T("politics", "lead", [
        "{org} won {seats:int 40 300} of the {total_seats:int 301 650} seats in {country:poss} parliamentary election, results released on {weekday} showed.",
        "Official results published on {weekday} gave {org} {seats:int 40 300} of the {total_seats:int 301 650} seats in {country:poss} parliament."],
        Q("seats", "pol.seats", "How many seats did {org} win?|How many seats did {org} secure?|How many parliamentary seats went to {org}?|~how many seats did {org:bare} get|+And how many seats did {org} win?"),
        Q("total_seats", "pol.total_seats", "How many seats are there in total?|How many seats does {country:poss} parliament have?|~how many seats in total|+and how many seats are there altogether"),
        Q("org", "pol.party", "Which party won {seats} seats?|~which party got {seats} seats"),
        Q("country", "pol.country", "Where was the election held?|In which country was the parliamentary election held?|~where was the vote"),
        Q("weekday", "pol.results_day", "When were the results released?|On what day were the results published?"),
        event="the election results"),
    T("politics", "detail", [
        "Turnout was {turnout:pct 35 85}, according to the electoral commission.",
        "The electoral commission put turnout at {turnout:pct 35 85}."],
        Q("turnout", "pol.turnout", "What was the turnout?|What was voter turnout in the election?|~what was turnout like|+and turnout?"),
        requires=("pol.seats",)),
    T("politics", "lead", [
        "{minister}, {country:poss} {portfolio:pick PORTFOLIOS} minister, resigned on {weekday} after {tenure:int 3 30 months} in office amid {scandal:pick SCANDALS}.",
        "{country:poss} {portfolio:pick PORTFOLIOS} minister, {minister}, stepped down on {weekday} amid {scandal:pick SCANDALS}, ending {tenure:int 3 30 months} in office."],
        Q("minister", "pol.resigned", "Who resigned?|Which minister stepped down?|Who quit as {portfolio} minister?|~who resigned|~who stepped down in {country}"),
        Q("portfolio", "pol.portfolio", "Which ministry did {minister} lead?|What portfolio did {minister} hold?|~what was {minister.last} minister of"),
        Q("tenure", "pol.tenure", "How long was {minister} in office?|How long did {minister.last} serve as minister?|~how long was {minister.last} in the job"),
        Q("scandal", "pol.reason", "What led to {minister:poss} resignation?|Amid what did {minister.last} resign?|~why did {minister.last} quit"),
        Q("weekday", "pol.resign_day", "When did {minister} resign?|On what day did {minister.last} step down?"),
        event="the resignation"),
    T("politics", "detail", [
        "Prime Minister {pm} named {successor} as the new {portfolio} minister later that day.",
        "{successor} was appointed to replace {minister.last}, the office of Prime Minister {pm} said."],
        Q("successor", "pol.successor", "Who replaced {minister}?|Who was named to replace {minister.last}?|Who will succeed {minister.last}?|~who's the new {portfolio} minister|+and who replaced {minister.last}"),
        Q("pm", "pol.pm", "Who is the prime minister?|~who's the pm|Who is {country:poss} prime minister?"),
        requires=("pol.resigned",)),
    T("politics", "lead", [
        "Lawmakers in {country} voted {yes:int 100 300} to {no:int 10 99} on {weekday} to approve a bill that would {bill:pick BILL_GOALS}.",
        "{country:poss} parliament on {weekday} passed a bill to {bill:pick BILL_GOALS} by {yes:int 100 300} votes to {no:int 10 99}."],
        Q("yes", "pol.yes", "How many lawmakers voted for the bill?|How many votes did the bill receive?|~how many voted yes|How many legislators backed the bill?"),
        Q("no", "pol.no", "How many lawmakers voted against the bill?|How many opposed the bill?|~how many voted no|+and how many voted against"),
        Q("bill", "pol.bill", "What would the bill do?|What is the bill meant to do?|~what's the bill about"),
        Q("country", "pol.country", "Where was the bill passed?|~which country passed the bill"),
        event="the vote"),
    T("politics", "lead", [
        "{protesters:num 2000 90000} people protested in {city} on {weekday} against {grievance:pick GRIEVANCES}, according to police estimates.",
        "Police said {protesters:num 2000 90000} people marched through {city} on {weekday} to protest against {grievance:pick GRIEVANCES}."],
        Q("protesters", "pol.protesters", "How many people protested in {city}?|How many people took part in the protest?|How many demonstrators were there?|~how many ppl showed up|~how big was the protest"),
        Q("grievance", "pol.grievance", "What were people protesting against?|What was the protest about?|~what were they protesting"),
        Q("city", "pol.protest_city", "Where did the protest take place?|~where was the protest|In which city did people march?"),
        Q("weekday", "pol.protest_day", "When did the protest take place?|On what day did people march?"),
        event="the protest"),
    T("politics", "detail", [
        "Opposition leader {opp} of {org2} called for {demand:pick DEMANDS}.",
        "{opp}, the leader of the opposition {org2:bare}, called for {demand:pick DEMANDS}."],
        Q("opp", "pol.opp_leader", "Who leads {org2}?|Who is the leader of {org2}?|~who's the opposition leader|Who called for {demand}?"),
        Q("demand", "pol.demand", "What did {opp} call for?|What did the opposition leader call for?|~what does {opp.last} want")),

    # ------------------------------------------------------------------ police
    T("police", "lead", [
        "{org} arrested {n_arr:num 3 60} people in {city} on {weekday} as part of an investigation into {scheme:pick SCHEMES a} network based in {city2}.",
        "{org} took {n_arr:num 3 60} people into custody in {city} on {weekday} in a crackdown on {scheme:pick SCHEMES a} network based in {city2}.",
        "In raids in {city} on {weekday}, {org} detained {n_arr:num 3 60} suspects linked to {scheme:pick SCHEMES a} network based in {city2}."],
        Q("n_arr", "police.arrest_count", "How many people did {org} arrest?|How many people were arrested in {city}?|How many suspects were taken into custody in {city}?|How many people were detained in {city}?|~how many got arrested in {city}|~how many ppl did {org:bare} detain|+And how many were arrested there?"),
        Q("org", "police.arrester", "Who arrested the suspects in {city}?|Which agency carried out the arrests in {city}?|Which agency detained the suspects in {city}?|~who arrested them in {city}|+who arrested them there"),
        Q("city2", "police.network_base", "Where was the network based?|In which city was the {scheme} network based?|~where was the network based|+and where was it based"),
        Q("scheme", "police.network_type", "What kind of network was being investigated?|What type of criminal network was targeted?|~what kind of network was it"),
        Q("city", "police.arrest_place", "Where were the {n_arr} people arrested?|Where did {org} make the arrests?|~where did {org:bare} arrest people"),
        Q("weekday", "police.arrest_day", "On what day did {org} make the arrests?|When did the arrests in {city} take place?|~what day were the arrests in {city}"),
        event="the arrests", covers=("police.raider", "police.raid_place")),
    T("police", "lead", [
        "{org} raided {n_raid:word 5 40} properties in {city} on {weekday} and seized {seized:pick SEIZED}, officials said.",
        "Officers from {org} searched {n_raid:word 5 40} properties across {city} on {weekday}, seizing {seized:pick SEIZED}."],
        Q("n_raid", "police.raid_count", "How many properties were raided?|How many properties did {org} search?|How many places did officers search in {city}?|~how many places got raided"),
        Q("seized", "police.seized", "What was seized in the raids?|What did officers seize?|~what did they seize"),
        Q("org", "police.raider", "Who carried out the raids?|Which agency raided the properties?|~who did the raids"),
        Q("city", "police.raid_place", "Where did the raids take place?|~where were the raids"),
        event="the raids"),
    T("police", "lead", [
        "{org} said it was trying to locate {part:num 5 40} of the {total:num 80 400} people who had obtained forged {doc:pick DOCS} from a forgery ring in {city}.",
        "{org} is still trying to track down {part:num 5 40} of the {total:num 80 400} people believed to have bought forged {doc:pick DOCS} from a forgery ring in {city}."],
        Q("part", "police.locate_count", "How many people is {org} trying to locate?|How many people did {org} try to locate?|How many people is {org} trying to find?|How many people are investigators trying to track down?|~how many are they still looking for|+And how many are they still trying to find?"),
        Q("total", "police.locate_total", "How many people obtained forged {doc} in total?|How many people bought forged {doc} altogether?|~how many in total|+And how many obtained them in total?|+and how many bought them overall"),
        Q("doc", "police.doc", "What kind of documents were forged?|~what did they forge"),
        Q("org", "police.searcher", "Which agency is trying to locate the buyers?|Who is looking for the buyers?|~who's looking for them"),
        Q("city", "police.ring_place", "Where was the forgery ring based?|~where was the ring"),
        event="the search", covers=("police.network_type", "police.network_base")),
    T("police", "lead", [
        "Authorities are trying to trace {part_w:num 5 60} of the {total_w:num 100 900} {demonym2} workers who entered {country} on seasonal work permits in {year}, {org} said.",
        "{org} said it had lost track of {part_w:num 5 60} of the {total_w:num 100 900} {demonym2} workers who entered {country} on seasonal work permits in {year}."],
        Q("part_w", "police.trace_count", "How many workers are authorities trying to trace?|How many of the workers could not be located?|How many workers has {org} lost track of?|~how many workers are unaccounted for|+and how many can't be found"),
        Q("total_w", "police.entered_total", "How many workers entered {country} in total?|How many workers entered on seasonal permits altogether?|+And how many entered in total?|~how many came in total"),
        Q("demonym2", "police.worker_nat", "What nationality were the workers?|What nationality are the seasonal workers?|~what nationality are the workers"),
        Q("year", "police.entry_year", "When did the workers enter {country}?|In which year did the workers arrive?"),
        Q("country", "police.entry_country", "Which country did the workers enter?|~which country did they go to"),
        event="the search for the workers"),
    T("police", "detail", [
        "Several of those detained have been charged with {charge:pick CHARGES}, prosecutors said.",
        "Prosecutors said some of the suspects would face charges of {charge:pick CHARGES}."],
        Q("charge", "police.charge", "What were the suspects charged with?|~what were they charged with|What charges do the suspects face?"),
        requires=("police.arrest_count",)),
    T("police", "detail", [
        "{suspect}, a {age:int 25 64}-year-old {demonym3} national described as the ring's leader, was arrested by {org2} in {city3} in {month}.",
        "The alleged ringleader, {demonym3} national {suspect}, {age:int 25 64}, was detained by {org2} in {city3} in {month}."],
        Q("org2", "police.suspect_arrester", "Who arrested {suspect}?|Which agency arrested {suspect} in {city3}?|Who detained the alleged ringleader?|+who arrested {suspect.last} there|~who caught {suspect.last}"),
        Q("city3", "police.suspect_place", "Where was {suspect} arrested?|In which city was the ringleader detained?|~where did they catch {suspect.last}"),
        Q("age", "police.suspect_age", "How old is {suspect}?|~how old is {suspect.last}"),
        Q("demonym3", "police.suspect_nat", "What nationality is {suspect}?|What nationality is the alleged ringleader?"),
        Q("month", "police.suspect_month", "When was {suspect} arrested?|In which month was {suspect.last} detained?"),
        Q("suspect", "police.ringleader", "Who is the alleged ringleader?|Who was described as the ring's leader?|~who's the ringleader"),
        requires=("police.arrest_count|police.locate_count|police.raid_count",)),
    T("police", "detail", [
        "Investigators said a shipment linked to the group had been inspected by {agency} at the port of {city4} in {month2}.",
        "Court documents show a shipment linked to the group was screened by {agency} at the port of {city4} in {month2}."],
        Q("agency", "police.inspect_agency", "Which agency inspected the shipment?|Who screened the shipment?|Which agency screened the goods?|~who inspected the shipment|~which agency checked the goods"),
        Q("city4", "police.inspect_place", "Where was the shipment inspected?|~where was it screened"),
        Q("month2", "police.inspect_month", "When was the shipment inspected?|In which month was the shipment screened?"),
        requires=("police.arrest_count|police.raid_count",)),
    T("police", "detail", [
        "Officers recovered {cash:money 10 900 thousand} in cash during the operation.",
        "During the operation officers recovered {cash:money 10 900 thousand} in cash."],
        Q("cash", "police.cash", "How much cash was recovered?|How much money did officers recover?|~how much money did they find"),
        requires=("police.arrest_count|police.raid_count",)),

    # ------------------------------------------------------------------ courts
    T("courts", "lead", [
        "A court in {city} on {weekday} sentenced {defendant}, a former {oldjob:pick OFFICIAL_JOBS}, to {years:int 2 25 years} in prison for {charge:pick CHARGES}.",
        "{defendant}, a former {oldjob:pick OFFICIAL_JOBS}, was sentenced to {years:int 2 25 years} in prison by a court in {city} on {weekday} after being convicted of {charge:pick CHARGES}."],
        Q("years", "court.sentence", "How long was {defendant} sentenced to?|How many years in prison did {defendant.last} get?|What sentence did {defendant} receive?|~how long did {defendant.last} get"),
        Q("defendant", "court.defendant", "Who was sentenced?|Who did the court sentence?|Which former {oldjob} was jailed?|~who got sentenced"),
        Q("charge", "court.charge", "What was {defendant} convicted of?|What crime was {defendant.last} sentenced for?|~what did {defendant.last} do"),
        Q("oldjob", "court.job", "What position did {defendant} previously hold?|What was {defendant:poss} former job?|~what was {defendant.last}'s old job"),
        Q("city", "court.place", "Where was {defendant} sentenced?|In which city did the court sit?"),
        Q("weekday", "court.day", "When was {defendant} sentenced?|On what day was the sentence handed down?"),
        event="the sentencing"),
    T("courts", "lead", [
        "Prosecutors in {country} have charged {n_charged:num 3 30} people, including {defendant}, over an alleged {scheme:pick SCHEMES} scheme worth {amount:money 1 900 million}.",
        "{n_charged:num 3 30} people, among them {defendant}, have been charged in {country} over an alleged {scheme:pick SCHEMES} scheme worth {amount:money 1 900 million}."],
        Q("n_charged", "court.charged_count", "How many people have been charged?|How many people face charges?|~how many were charged"),
        Q("amount", "court.amount", "How much was the alleged scheme worth?|What was the value of the scheme?|~how much money was involved"),
        Q("country", "court.country", "In which country were the charges filed?|Where were the charges brought?"),
        Q("scheme", "court.scheme", "What kind of scheme were they charged over?|~what was the scheme"),
        Q("defendant", "court.named_defendant", "Who is among the {n_charged} people charged?|Which prominent defendant was charged over the {scheme} scheme?|~who got charged over the {scheme} scheme"),
        event="the case"),
    T("courts", "lead", [
        "{country:poss} Supreme Court ruled on {weekday} that {ruling:pick RULINGS}, overturning a {year} decision by a lower court.",
        "Overturning a lower court's {year} decision, {country:poss} Supreme Court ruled on {weekday} that {ruling:pick RULINGS}."],
        Q("ruling", "court.ruling", "What did the Supreme Court rule?|What did the court decide?|~what did the court decide"),
        Q("year", "court.overturned_year", "When was the overturned lower court decision made?|~what year was the original decision"),
        Q("weekday", "court.ruling_day", "When did the Supreme Court rule?|On what day was the ruling issued?"),
        Q("country", "court.ruling_country", "Which country's Supreme Court issued the ruling?|~which country was this"),
        event="the ruling"),
    T("courts", "detail", [
        "Judge {judge} set bail at {bail:money 20 900 thousand} and ordered {defendant.last} to surrender any passports.",
        "{defendant.last} was released on bail of {bail:money 20 900 thousand} set by Judge {judge}."],
        Q("judge", "court.judge", "Who set bail?|Which judge set the bail?|~who's the judge"),
        Q("bail", "court.bail", "How much was bail set at?|What was {defendant.last:poss} bail?|~how much was bail"),
        requires=("court.named_defendant",)),
    T("courts", "detail", [
        "{lawyer}, a lawyer for {defendant.last}, said the case against {defendant.last} was politically motivated.",
        "{defendant.last:poss} lawyer, {lawyer}, told reporters the case was politically motivated."],
        Q("lawyer", "court.lawyer", "Who is {defendant.last:poss} lawyer?|Who represents {defendant}?|Who is the defence lawyer?|~who's {defendant.last}'s lawyer|+and who is representing {defendant.last}"),
        requires=("court.defendant|court.named_defendant",)),
    T("courts", "detail", [
        "The case is due to return to court on {date}.",
        "A further hearing has been set for {date}."],
        Q("date", "court.next_date", "When is the next hearing?|When will the case return to court?|~when's the next hearing"),
        requires=("court.defendant|court.named_defendant",)),

    # ------------------------------------------------------------------ disasters
    T("disasters", "lead", [
        "A magnitude {mag:mag} earthquake struck near {city} on {weekday}, killing {dead:num 3 200} people and injuring {hurt:num 20 900} others.",
        "{dead:num 3 200} people were killed and {hurt:num 20 900} injured when a magnitude {mag:mag} earthquake hit near {city} on {weekday}."],
        Q("mag", "dis.magnitude", "What was the magnitude of the earthquake?|How strong was the earthquake?|~how strong was the quake|~what magnitude was it"),
        Q("dead", "dis.deaths", "How many people were killed?|How many people died in the earthquake?|How many people were killed near {city}?|~how many died|+And how many were killed?"),
        Q("hurt", "dis.injured", "How many people were injured?|How many people were hurt in the earthquake?|~how many were hurt|+and how many were injured"),
        Q("city", "dis.place", "Near which city did the earthquake strike?|Where did the earthquake hit?|~where was the quake"),
        Q("weekday", "dis.day", "When did the earthquake strike?|~what day did it hit"),
        event="the earthquake"),
    T("disasters", "lead", [
        "Flooding caused by {rain_days:int 2 9 days} of heavy rain has forced {evac:num 1000 90000} people from their homes in {country:poss} {dir:pick DIRS} provinces, officials said on {weekday}.",
        "Officials in {country} said on {weekday} that {evac:num 1000 90000} people had been evacuated from {dir:pick DIRS} provinces after {rain_days:int 2 9 days} of torrential rain."],
        Q("evac", "dis.evacuated", "How many people were forced from their homes?|How many people have been evacuated?|How many people had to leave their homes?|~how many were evacuated"),
        Q("rain_days", "dis.rain_days", "How long did the heavy rain last?|How many days of rain caused the flooding?|~how long did it rain"),
        Q("country", "dis.country", "Which country was hit by the flooding?|Where did the flooding occur?|~where's the flooding"),
        event="the flooding"),
    T("disasters", "lead", [
        "A wildfire that broke out near {city} on {weekday} has burned {area:num 500 90000 hectares} and destroyed {homes:num 10 900} homes, according to {org}.",
        "{org} said on {weekday} that a wildfire near {city} had destroyed {homes:num 10 900} homes and scorched {area:num 500 90000 hectares}."],
        Q("area", "dis.area", "How much land has the fire burned?|How large an area has burned?|~how big is the fire"),
        Q("homes", "dis.homes_destroyed", "How many homes were destroyed?|How many homes has the wildfire destroyed?|~how many houses burned down"),
        Q("city", "dis.place", "Where did the wildfire break out?|Near which city is the fire burning?|~where's the fire"),
        Q("org", "dis.source_org", "Who provided the figures on the wildfire?|According to which organisation were the homes destroyed?"),
        event="the wildfire"),
    T("disasters", "lead", [
        "Tropical Storm {storm:pick STORM_NAMES} made landfall near {city} on {weekday} with winds of up to {wind:int 90 240 kilometres per hour}, cutting power to {no_power:num 5000 900000} homes.",
        "Storm {storm:pick STORM_NAMES} slammed into the coast near {city} on {weekday}, packing winds of up to {wind:int 90 240 kilometres per hour} and leaving {no_power:num 5000 900000} homes without power."],
        Q("storm", "dis.storm_name", "What was the name of the storm?|Which storm made landfall near {city}?|~what's the storm called"),
        Q("wind", "dis.wind", "How strong were the winds?|What wind speeds did the storm bring?|~how fast were the winds"),
        Q("no_power", "dis.power_out", "How many homes lost power?|How many homes were left without electricity?|~how many lost power"),
        Q("city", "dis.place", "Where did the storm make landfall?|~where did it hit"),
        event="the storm"),
    T("disasters", "lead", [
        "A landslide triggered by heavy rain buried {buried:num 5 60} houses in a village outside {city} on {weekday}, and rescuers were searching for {missing:num 5 80} people still missing.",
        "Rescuers were searching for {missing:num 5 80} people on {weekday} after a landslide buried {buried:num 5 60} houses in a village outside {city}."],
        Q("missing", "dis.missing", "How many people are missing?|How many people are rescuers searching for?|~how many are still missing"),
        Q("buried", "dis.buried", "How many houses were buried?|How many homes did the landslide bury?|~how many houses got buried"),
        Q("city", "dis.place", "Where did the landslide happen?|Near which city was the village?|~where was the landslide"),
        event="the landslide"),
    T("disasters", "lead", [
        "A fire at {company:poss} garment factory in {city} has left {part_f:num 5 40} of the {total_f:num 100 600} workers on the night shift unaccounted for, officials said on {weekday}.",
        "Officials said on {weekday} that {part_f:num 5 40} of the {total_f:num 100 600} workers on the night shift at {company:poss} factory in {city} were still unaccounted for after a fire."],
        Q("part_f", "dis.missing", "How many workers are missing?|How many workers are unaccounted for?|~how many are missing|~how many workers are still missing"),
        Q("total_f", "dis.total_workers", "How many workers were on the night shift?|How many workers were there in total?|+And how many were working in total?|~how many in total"),
        Q("company", "dis.factory_owner", "Whose factory caught fire?|Which company owns the factory?|~whose factory was it"),
        Q("city", "dis.place", "Where is the factory?|~where was the fire"),
        event="the factory fire"),
    T("disasters", "detail", [
        "Most of the workers were {demonym2} nationals, the company said.",
        "The company said most of the workers were {demonym2} nationals."],
        Q("demonym2", "dis.worker_nat", "What nationality were most of the workers?|What nationality were the workers?|~where were the workers from"),
        requires=("dis.total_workers",)),
    T("disasters", "detail", [
        "{org} said it had sent {food:int 10 500 tonnes} of food and {med_teams:word 2 40} medical teams to the area.",
        "{org} has delivered {food:int 10 500 tonnes} of food to the affected area and deployed {med_teams:word 2 40} medical teams."],
        Q("food", "dis.food_aid", "How much food was sent?|How much food has {org} delivered?|~how much food did they send"),
        Q("med_teams", "dis.med_teams", "How many medical teams were sent?|How many medical teams were deployed?|~how many medical teams"),
        Q("org", "dis.aid_org", "Which organisation sent food to the area?|Who is delivering the food aid?|~who sent the food")),
    T("disasters", "detail", [
        "A {rescuers:int 20 200}-member rescue team from {country2} arrived on {weekday2} to help with the search.",
        "{country2} sent a {rescuers:int 20 200}-member rescue team, which arrived on {weekday2}."],
        Q("country2", "dis.rescue_from", "Which country sent a rescue team?|Where did the rescue team come from?|~who sent rescuers"),
        Q("rescuers", "dis.rescue_size", "How many members did the rescue team have?|How large was the rescue team?|~how big was the rescue team"),
        Q("weekday2", "dis.rescue_day", "When did the rescue team arrive?|~when did the rescuers get there"),
        requires=("dis.deaths|dis.missing|dis.buried",)),
    T("disasters", "detail", [
        "{mayor}, the mayor of {city}, said schools would remain closed until {weekday3}.",
        "Schools in {city} will stay shut until {weekday3}, Mayor {mayor} said."],
        Q("mayor", "dis.mayor", "Who is the mayor of {city}?|~who's the mayor|Who is {city:poss} mayor?"),
        Q("weekday3", "dis.schools_until", "Until when will schools in {city} stay closed?|When will schools in {city} reopen?|~when do schools reopen"),
        requires=("dis.place",)),

    # ------------------------------------------------------------------ business
    T("business", "lead", [
        "{company} has agreed to buy {company2} for {price:money 1 40 billion}, the companies said on {weekday}.",
        "{company} said on {weekday} it would acquire rival {company2} in a deal worth {price:money 1 40 billion}.",
        "In a deal valued at {price:money 1 40 billion}, {company} will take over {company2}, the two companies announced on {weekday}."],
        Q("company", "biz.buyer", "Which company is buying {company2}?|Who is acquiring {company2}?|~who's buying {company2}|Who agreed to buy {company2}?"),
        Q("company2", "biz.target", "Which company is {company} buying?|What is {company} acquiring?|~what's {company} buying"),
        Q("price", "biz.price", "How much is {company} paying for {company2}?|What is the deal worth?|How much is the acquisition worth?|~how much is the deal|+and how much is it worth"),
        Q("weekday", "biz.announce_day", "When was the deal announced?|~when did they announce it"),
        event="the deal"),
    T("business", "lead", [
        "{company} said on {weekday} it would cut {jobs:num 200 12000} jobs, or {cut_pct:pct 3 25} of its workforce, as demand for {product:pick PRODUCTS} slowed.",
        "{company} plans to eliminate {jobs:num 200 12000} positions, {cut_pct:pct 3 25} of its staff, after weaker demand for {product:pick PRODUCTS}, it said on {weekday}."],
        Q("jobs", "biz.job_cuts", "How many jobs will {company} cut?|How many positions are being eliminated?|How many jobs are going at {company}?|~how many ppl are losing their jobs|~how many jobs r being cut"),
        Q("cut_pct", "biz.cut_pct", "What share of its workforce is {company} cutting?|What percentage of staff will lose their jobs?|~what % of the workforce"),
        Q("product", "biz.product", "Demand for what has slowed?|Which products saw weaker demand?"),
        event="the job cuts"),
    T("business", "lead", [
        "{company} reported a quarterly net profit of {profit:money 100 900 million} on {weekday}, up from {profit_prev:money 10 95 million} a year earlier.",
        "{company:poss} quarterly net profit rose to {profit:money 100 900 million} from {profit_prev:money 10 95 million} a year earlier, the company said on {weekday}."],
        Q("profit", "biz.profit", "How much profit did {company} report?|What was {company:poss} quarterly profit?|~how much did {company} make"),
        Q("profit_prev", "biz.profit_prev", "What was the profit a year earlier?|How much did {company} earn in the same quarter last year?|+and a year earlier?"),
        event="the results"),
    T("business", "lead", [
        "{strikers:num 500 20000} workers at {company:poss} plants in {country} walked off the job on {weekday}, demanding a pay rise of {raise:pct 5 30}.",
        "Workers at {company:poss} plants in {country} went on strike on {weekday}, with {strikers:num 500 20000} staff demanding a pay rise of {raise:pct 5 30}."],
        Q("strikers", "biz.strikers", "How many workers went on strike?|How many workers walked off the job?|~how many are striking"),
        Q("raise", "biz.raise", "What pay rise are the workers demanding?|How big a pay rise do the workers want?|~how much of a raise do they want"),
        Q("country", "biz.strike_country", "Where did the workers go on strike?|In which country are the plants?|~where's the strike"),
        Q("company", "biz.strike_company", "Which company's workers went on strike?|~whose workers are striking"),
        event="the strike"),
    T("business", "detail", [
        "Shares of {company} {moved:pick MOVES} {share_pct:pct 1 15} in early trading.",
        "In early trading, {company} shares {moved:pick MOVES} {share_pct:pct 1 15}."],
        Q("share_pct", "biz.share_move", "How much did {company} shares move in early trading?|By how much did the shares move?|~how much did the stock move"),
        requires=("biz.buyer|biz.job_cuts|biz.profit",)),
    T("business", "detail", [
        "The deal still requires approval from {regulator}, which is expected to rule by {month}.",
        "{regulator} is expected to decide by {month} whether to approve the deal."],
        Q("regulator", "biz.regulator", "Which regulator must approve the deal?|Who needs to approve the deal?|~who has to sign off on the deal"),
        Q("month", "biz.decision_month", "When is the regulator expected to decide?|By when is a decision expected?|~when will they decide"),
        requires=("biz.price",)),
    T("business", "detail", [
        "{ceo}, the chief executive of {company}, told {outlet} that the company expected demand to recover next year.",
        "{company} chief executive {ceo} told {outlet} the company expected demand to recover next year."],
        Q("ceo", "biz.ceo", "Who is the chief executive of {company}?|Who runs {company}?|~who's the ceo of {company}|~who's the boss"),
        Q("outlet", "biz.interview_outlet", "Which outlet did {ceo} speak to?|Who did {ceo.last} tell that demand would recover?|~who did {ceo.last} talk to"),
        requires=("biz.buyer|biz.job_cuts|biz.profit|biz.strikers",)),
    T("business", "detail", [
        "Customs officials said {n_cont:word 2 40} containers of {company:poss} goods had been held after being inspected by {agency} at {city4}.",
        "{n_cont:word 2 40} containers of {company:poss} goods were held at {city4} after being inspected by {agency}, customs officials said."],
        Q("agency", "biz.inspect_agency", "Which agency inspected the containers?|Who inspected {company:poss} goods?|~who inspected the containers"),
        Q("n_cont", "biz.containers", "How many containers were held?|~how many containers"),
        Q("city4", "biz.inspect_place", "Where were the containers inspected?|~where were they held"),
        requires=("biz.buyer|biz.job_cuts|biz.profit|biz.strikers",)),

    # ------------------------------------------------------------------ health
    T("health", "lead", [
        "Health authorities in {country} have confirmed {cases:num 10 900} cases of {disease:pick DISEASES} in {city}, including {h_deaths:num 2 30} deaths, since {month}.",
        "{country:poss} health ministry said that {cases:num 10 900} cases of {disease:pick DISEASES} had been recorded in {city} since {month}, {h_deaths:num 2 30} of them fatal."],
        Q("cases", "health.cases", "How many cases have been confirmed?|How many {disease} cases have been recorded in {city}?|How many people have caught {disease}?|~how many cases so far|+and how many cases in total"),
        Q("h_deaths", "health.deaths", "How many people have died?|How many deaths have been recorded?|How many people have died of {disease}?|~how many deaths"),
        Q("disease", "health.disease", "What disease is spreading in {city}?|Which disease was confirmed in {city}?|~what's the outbreak"),
        Q("month", "health.since", "Since when have cases been recorded?|When did the outbreak begin?|~since when"),
        Q("city", "health.place", "Where is the outbreak?|In which city were the cases confirmed?"),
        event="the outbreak"),
    T("health", "lead", [
        "{org} said on {weekday} it would send {doses:num 100000 5000000} vaccine doses to {country} to fight an outbreak of {disease:pick DISEASES}.",
        "{org} will ship {doses:num 100000 5000000} doses of vaccine to {country} to help contain {disease:pick DISEASES}, it said on {weekday}."],
        Q("doses", "health.doses", "How many vaccine doses will be sent?|How many doses is {org} sending?|~how many doses"),
        Q("org", "health.sender", "Which organisation is sending the vaccines?|Who is shipping the vaccine doses?|~who's sending the vaccines"),
        Q("country", "health.dest", "Where will the doses be sent?|Which country will receive the vaccines?|~where are the doses going"),
        Q("disease", "health.disease", "What disease are the vaccines meant to fight?|~which disease"),
        event="the vaccine shipment"),
    T("health", "lead", [
        "{healthreg} approved a new {drug:pick DRUGS} developed by {company} on {weekday} after a trial involving {trial:num 300 40000} patients.",
        "{company} won approval from {healthreg} on {weekday} for its new {drug:pick DRUGS}, which was tested in a trial of {trial:num 300 40000} patients."],
        Q("healthreg", "health.approver", "Which agency approved the {drug}?|Who approved {company:poss} {drug}?|~who approved it"),
        Q("company", "health.developer", "Which company developed the {drug}?|Who made the new {drug}?|~who developed it"),
        Q("trial", "health.trial_size", "How many patients took part in the trial?|How large was the trial?|~how many people were in the trial"),
        Q("drug", "health.drug", "What did {healthreg} approve?|~what got approved"),
        event="the approval"),
    T("health", "detail", [
        "{agency} screened {screened:num 50 400} passengers arriving on a flight from {city2}, placing {isolated:word 2 9} of them in isolation.",
        "{screened:num 50 400} passengers arriving on a flight from {city2} were screened by {agency}, and {isolated:word 2 9} of them were placed in isolation."],
        Q("agency", "health.screener", "Which agency screened the passengers?|Who screened the arriving passengers?|~who screened them"),
        Q("screened", "health.screened", "How many passengers were screened?|~how many got screened"),
        Q("isolated", "health.isolated", "How many passengers were placed in isolation?|How many were isolated?|~how many were isolated"),
        Q("city2", "health.flight_origin", "Where had the flight come from?|~where was the flight from"),
        requires=("health.cases|health.doses|health.disease",)),
    T("health", "detail", [
        "{expert}, an epidemiologist at {university:pick UNIVERSITIES}, said the official figures were likely an undercount.",
        "The official figures are probably an undercount, said {expert}, an epidemiologist at {university:pick UNIVERSITIES}."],
        Q("expert", "health.expert", "Which epidemiologist was quoted?|Who said the figures were likely an undercount?|~who's the epidemiologist"),
        Q("university", "health.expert_inst", "Where does {expert} work?|Which university is {expert.last} at?|~where does {expert.last} work"),
        requires=("health.cases",)),
    T("health", "detail", [
        "Hospitals in {city} have added {beds:int 50 900} beds to cope with the rise in patients.",
        "To cope with the rise in patients, hospitals in {city} have set up {beds:int 50 900} extra beds."],
        Q("beds", "health.beds", "How many beds have hospitals added?|How many extra beds were set up?|~how many extra beds"),
        requires=("health.cases",)),

    # ------------------------------------------------------------------ sport
    T("sport", "lead", [
        "{country} beat {country2} {score:pick SCORES} in {city} on {weekday} to reach the {round:pick ROUNDS} of the {tournament:pick TOURNAMENTS}.",
        "{country} reached the {round:pick ROUNDS} of the {tournament:pick TOURNAMENTS} after a {score:pick SCORES} win over {country2} in {city} on {weekday}."],
        Q("country", "sport.winner", "Who won the match?|Which team won the match?|Who beat {country2}?|~who won the game|Which team reached the {round}?"),
        Q("country2", "sport.loser", "Who did {country} beat?|Which team lost to {country}?|~who did they beat|Who was knocked out by {country}?"),
        Q("score", "sport.score", "What was the score?|What was the final score?|By what score did {country} win?|~what was the score|+and the score?"),
        Q("round", "sport.round", "What stage of the {tournament} did {country} reach?|~what round are they in now"),
        Q("tournament", "sport.tournament", "Which tournament is {country} playing in?|~what tournament is it"),
        Q("city", "sport.venue_city", "Where was the match played?|~where was the game"),
        event="the match"),
    T("sport", "detail", [
        "{player} scored the winning goal in the {minute:ord 46 90} minute.",
        "{player} struck the winner in the {minute:ord 46 90} minute."],
        Q("player", "sport.scorer", "Who scored the winning goal?|Who scored the winner?|~who scored|+and who got the winner"),
        Q("minute", "sport.minute", "In which minute was the winning goal scored?|When did {player.last} score?|~what minute was the goal"),
        requires=("sport.winner",)),
    T("sport", "detail", [
        "A crowd of {crowd:num 5000 90000} watched the game at {stadium:pick STADIUMS}.",
        "The match at {stadium:pick STADIUMS} was watched by {crowd:num 5000 90000} fans."],
        Q("crowd", "sport.crowd", "How many people watched the game?|How big was the crowd?|How many fans attended?|~how many fans were there"),
        Q("stadium", "sport.stadium", "Which stadium hosted the game?|At which stadium was the match played?|~what stadium"),
        requires=("sport.winner",)),
    T("sport", "lead", [
        "{doping} banned {athlete}, {demonym:a} {discipline:pick DISCIPLINES}, for {ban:int 2 8 years} on {weekday} after a positive test for {substance:pick SUBSTANCES}.",
        "{demonym} {discipline:pick DISCIPLINES} {athlete} has been banned for {ban:int 2 8 years} by {doping} after testing positive for {substance:pick SUBSTANCES}, it was announced on {weekday}."],
        Q("athlete", "sport.banned", "Who was banned?|Which athlete was suspended?|~who got banned"),
        Q("ban", "sport.ban_len", "How long is {athlete:poss} ban?|How long was {athlete.last} banned for?|~how long's the ban"),
        Q("doping", "sport.ban_body", "Which body banned {athlete}?|Who imposed the ban?|~who banned {athlete.last}"),
        Q("substance", "sport.substance", "What did {athlete} test positive for?|~what did {athlete.last} test positive for"),
        Q("demonym", "sport.athlete_nat", "What nationality is {athlete}?|~what nationality is {athlete.last}"),
        Q("discipline", "sport.discipline", "What kind of athlete is {athlete}?|~what does {athlete.last} compete as"),
        event="the ban", covers=("sport.winner_country",)),
    T("sport", "lead", [
        "{athlete} of {country} won the {city2} Marathon on {weekday} in {mtime:mtime}, {margin:int 3 59 seconds} ahead of {runner} of {country3}.",
        "{country:poss} {athlete} won the {city2} Marathon on {weekday}, finishing in {mtime:mtime} to beat {runner} of {country3} by {margin:int 3 59 seconds}."],
        Q("athlete", "sport.race_winner", "Who won the {city2} Marathon?|Who won the marathon?|~who won the race"),
        Q("mtime", "sport.time", "What was the winning time?|How long did it take {athlete.last} to finish?|~what was the time"),
        Q("country", "sport.winner_country", "Which country is {athlete} from?|~where's the winner from"),
        Q("runner", "sport.runner_up", "Who finished second?|Who did {athlete.last} beat?|~who came second"),
        Q("margin", "sport.margin", "By how much did {athlete.last} win?|What was the winning margin?"),
        Q("country3", "sport.runner_up_country", "Which country is {runner} from?|~where's the runner-up from"),
        event="the marathon", covers=("sport.athlete_nat",)),
    T("sport", "detail", [
        "{coach}, {country:poss} head coach, praised the team's defence.",
        "{country} coach {coach} said the players had shown great character."],
        Q("coach", "sport.coach", "Who is {country:poss} head coach?|Who coaches {country}?|~who's the coach|+and who's their coach"),
        requires=("sport.winner",)),
    T("sport", "detail", [
        "{country} will face {country3} in the next round on {weekday2}.",
        "Next up for {country} is a meeting with {country3} on {weekday2}."],
        Q("country3", "sport.next_opp", "Who will {country} face next?|Who is {country:poss} next opponent?|~who do they play next"),
        Q("weekday2", "sport.next_day", "When will {country} play {country3}?|When is the next match?|~when's the next game"),
        requires=("sport.winner",)),

    # ------------------------------------------------------------------ science
    T("science", "lead", [
        "{space} launched {mission:pick MISSIONS a} from {space.site} on {weekday}, carrying {instruments:word 3 14} scientific instruments.",
        "{space:poss} new {mission:pick MISSIONS} lifted off from {space.site} on {weekday} with {instruments:word 3 14} scientific instruments on board."],
        Q("space", "sci.launcher", "Who launched the {mission}?|Which space agency launched the {mission}?|~who launched it"),
        Q("space.site", "sci.site", "Where was the {mission} launched from?|~where did it launch from"),
        Q("instruments", "sci.instruments", "How many instruments is the {mission} carrying?|~how many instruments"),
        Q("mission", "sci.mission", "What did {space} launch?|~what did they launch"),
        Q("weekday", "sci.day", "When was the {mission} launched?|~when was the launch"),
        event="the launch"),
    T("science", "lead", [
        "A study published in {journal:pick JOURNALS} found that {pct_s:pct 10 70} of {study:pick STUDIES} surveyed across {n_countries:word 5 40} countries showed signs of {study.condition}.",
        "{pct_s:pct 10 70} of {study:pick STUDIES} surveyed in {n_countries:word 5 40} countries showed signs of {study.condition}, according to a study published in {journal:pick JOURNALS}."],
        Q("journal", "sci.journal", "In which journal was the study published?|Where was the study published?|~what journal"),
        Q("pct_s", "sci.share", "What share of {study} showed signs of {study.condition}?|What percentage of {study} were affected?|~what % were affected"),
        Q("n_countries", "sci.n_countries", "How many countries did the study cover?|~how many countries"),
        Q("study.condition", "sci.condition", "What did the study find signs of?|~what did they find"),
        event="the study"),
    T("science", "detail", [
        "{scientist} of {university:pick UNIVERSITIES}, who led the research, said the results were worrying.",
        "\"The results surprised us,\" said {scientist}, who led the research at {university:pick UNIVERSITIES}."],
        Q("scientist", "sci.lead", "Who led the research?|Who was the lead researcher?|~who led the study"),
        Q("university", "sci.university", "Which university led the research?|Where is {scientist} based?|~which uni"),
        requires=("sci.journal|sci.n_planets",)),
    T("science", "lead", [
        "Astronomers using {telescope:pick TELESCOPES} have discovered {n_planets:word 2 7} planets orbiting a star {distance:num 40 900 light-years} from Earth.",
        "{n_planets:word 2 7} planets have been found orbiting a star {distance:num 40 900 light-years} from Earth, astronomers using {telescope:pick TELESCOPES} said on {weekday}."],
        Q("n_planets", "sci.n_planets", "How many planets were discovered?|How many planets orbit the star?|~how many planets"),
        Q("distance", "sci.distance", "How far away is the star?|How far from Earth is the star?|~how far is it"),
        Q("telescope", "sci.telescope", "Which telescope was used?|What instrument did astronomers use?|~which telescope"),
        event="the discovery"),
    T("science", "detail", [
        "The mission cost {m_cost:money 100 900 million} and is expected to last {m_years:int 2 15 years}.",
        "Expected to operate for {m_years:int 2 15 years}, the mission cost {m_cost:money 100 900 million}."],
        Q("m_cost", "sci.cost", "How much did the mission cost?|~how much did it cost"),
        Q("m_years", "sci.duration", "How long is the mission expected to last?|~how long will it last"),
        requires=("sci.launcher",)),
    T("science", "detail", [
        "{org2} provided {grant:money 1 30 million} in funding for the research.",
        "The research was funded with {grant:money 1 30 million} from {org2}."],
        Q("org2", "sci.funder", "Who funded the research?|Which organisation funded the work?|~who paid for it"),
        Q("grant", "sci.grant", "How much funding did the research receive?|~how much was the grant"),
        requires=("sci.journal|sci.n_planets",)),

    # ------------------------------------------------------------------ diplomacy
    T("diplomacy", "lead", [
        "Foreign ministers from {n_delegations:word 5 40} countries met in {city} on {weekday} for talks on {topic:pick TOPICS} hosted by {org}.",
        "{org} hosted talks on {topic:pick TOPICS} in {city} on {weekday}, attended by foreign ministers from {n_delegations:word 5 40} countries."],
        Q("n_delegations", "dip.n_countries", "How many countries attended the talks?|How many countries sent foreign ministers?|~how many countries were there"),
        Q("city", "dip.venue", "Where were the talks held?|In which city did the ministers meet?|~where were the talks"),
        Q("org", "dip.host", "Who hosted the talks?|Which organisation hosted the meeting?|~who hosted"),
        Q("topic", "dip.topic", "What were the talks about?|What was the focus of the talks?|~what were they talking about"),
        Q("weekday", "dip.day", "When did the ministers meet?|~what day were the talks"),
        event="the talks"),
    T("diplomacy", "lead", [
        "{country} and {country2} signed {agreement:pick AGREEMENTS a} agreement in {city3} on {weekday}, officials from both countries said.",
        "Meeting in {city3} on {weekday}, officials from {country} and {country2} signed {agreement:pick AGREEMENTS a} agreement."],
        Q("agreement", "dip.agreement", "What kind of agreement did {country} and {country2} sign?|What did {country} and {country2} sign an agreement on?|~what kind of deal was it"),
        Q("city3", "dip.sign_place", "Where was the agreement signed?|~where did they sign it"),
        Q("country2", "dip.partner", "Which country signed the agreement with {country}?|~who did {country} sign with"),
        event="the agreement", covers=("dip.venue", "dip.day")),
    T("diplomacy", "lead", [
        "{country} expelled {n_dip:word 2 12} {demonym2} diplomats on {weekday}, accusing them of {accusation:pick ACCUSATIONS}.",
        "{country} gave {n_dip:word 2 12} {demonym2} diplomats 72 hours to leave on {weekday}, accusing them of {accusation:pick ACCUSATIONS}."],
        Q("n_dip", "dip.expelled", "How many diplomats were expelled?|How many {demonym2} diplomats were told to leave?|~how many diplomats got kicked out"),
        Q("demonym2", "dip.expelled_nat", "What nationality were the expelled diplomats?|~what nationality were the diplomats"),
        Q("country", "dip.expeller", "Which country expelled the diplomats?|Who expelled the {demonym2} diplomats?|~who kicked them out"),
        Q("accusation", "dip.accusation", "What were the diplomats accused of?|~what were they accused of"),
        event="the expulsions"),
    T("diplomacy", "detail", [
        "{ambassador}, {country2:poss} ambassador to {country}, was summoned to the foreign ministry.",
        "The foreign ministry in {country} summoned {country2:poss} ambassador, {ambassador}, to explain."],
        Q("ambassador", "dip.ambassador", "Who is {country2:poss} ambassador to {country}?|Which ambassador was summoned?|~who got summoned"),
        requires=("dip.expelled|dip.agreement",)),
    T("diplomacy", "detail", [
        "The next round of talks is scheduled for {month} in {city2}.",
        "Officials said they would meet again in {city2} in {month}."],
        Q("month", "dip.next_month", "When is the next round of talks?|~when do they meet again"),
        Q("city2", "dip.next_place", "Where will the next round of talks be held?|~where's the next meeting"),
        requires=("dip.host|dip.agreement",)),
    T("diplomacy", "lead", [
        "{leader}, the {ljob:pick LEADER_JOBS} of {country}, arrived in {city2} on {weekday} for {visit_days:int 2 5 days} of talks.",
        "{country:poss} {ljob:pick LEADER_JOBS}, {leader}, began {visit_days:int 2 5 days} of talks in {city2} on {weekday}."],
        Q("leader", "dip.visitor", "Who arrived in {city2}?|Who is visiting {city2}?|~who's visiting"),
        Q("ljob", "dip.visitor_job", "What is {leader:poss} position?|What office does {leader} hold?|~what's {leader.last}'s job"),
        Q("city2", "dip.visit_city", "Where did {leader} arrive?|Which city is {leader.last} visiting?|~where's {leader.last} going"),
        Q("visit_days", "dip.visit_len", "How long will {leader.last} stay?|How long is the visit?|~how long's the trip"),
        Q("country", "dip.visitor_country", "Which country does {leader} represent?|~where's {leader.last} from"),
        event="the visit", covers=("dip.venue", "dip.day")),

    # ------------------------------------------------------------------ local
    T("local", "lead", [
        "The city council in {city} voted on {weekday} to spend {budget:money 2 90 million} on {project:pick PROJECTS}.",
        "Councillors in {city} approved {budget:money 2 90 million} for {project:pick PROJECTS} at a meeting on {weekday}."],
        Q("budget", "local.budget", "How much will the council spend?|How much money did councillors approve?|~how much are they spending"),
        Q("project", "local.project", "What will the money be spent on?|What did the council approve funding for?|~what's the money for"),
        Q("city", "local.city", "Which city council voted for the spending?|~which city"),
        event="the council vote"),
    T("local", "lead", [
        "The {bridge:pick BRIDGES} in {city} will close for {weeks:int 3 20 weeks} from {date} for repairs costing {repair_cost:money 1 60 million}.",
        "Repairs costing {repair_cost:money 1 60 million} will shut {city:poss} {bridge:pick BRIDGES} for {weeks:int 3 20 weeks} from {date}."],
        Q("weeks", "local.closure_len", "How long will the bridge be closed?|For how many weeks will the {bridge} close?|~how long is it closed"),
        Q("date", "local.closure_start", "When will the bridge close?|When does the closure start?|~when does it close"),
        Q("repair_cost", "local.repair_cost", "How much will the repairs cost?|~how much are the repairs"),
        Q("bridge", "local.bridge", "Which bridge is closing?|~which bridge"),
        event="the bridge closure"),
    T("local", "lead", [
        "The annual {fest:pick FESTIVALS} festival in {city} drew {visitors:num 5000 400000} visitors over {fest_days:int 2 10 days}, organisers said on {weekday}.",
        "Organisers said {visitors:num 5000 400000} people attended {city:poss} annual {fest:pick FESTIVALS} festival, which ran for {fest_days:int 2 10 days}."],
        Q("visitors", "local.visitors", "How many visitors did the festival draw?|How many people attended the {fest} festival?|~how many people went"),
        Q("fest_days", "local.fest_len", "How long did the festival last?|~how long was the festival"),
        Q("fest", "local.fest_kind", "What kind of festival was held in {city}?|~what festival"),
        event="the festival"),
    T("local", "detail", [
        "Mayor {mayor} said the decision would benefit residents across the city.",
        "{mayor}, the city's mayor, welcomed the news."],
        Q("mayor", "local.mayor", "Who is the mayor of {city}?|Who is {city:poss} mayor?|~who's the mayor"),
        requires=("local.budget|local.closure_len|local.visitors|local.books",)),
    T("local", "lead", [
        "A burst water main left {households:num 2000 60000} households in {city:poss} {district:pick DISTRICTS} district without water on {weekday}.",
        "{households:num 2000 60000} households in the {district:pick DISTRICTS} district of {city} were without water on {weekday} after a main burst."],
        Q("households", "local.households", "How many households were left without water?|How many homes lost their water supply?|~how many homes have no water"),
        Q("district", "local.district", "Which district was affected?|Which part of {city} lost water?|~which area"),
        Q("weekday", "local.outage_day", "When did the water main burst?|~what day was it"),
        event="the water outage"),
    T("local", "detail", [
        "Engineers from {company} expect repairs to take {repair_hours:int 12 72 hours}.",
        "{company}, which operates the network, said repairs would take {repair_hours:int 12 72 hours}."],
        Q("company", "local.repairer", "Who is carrying out the repairs?|Which company operates the network?|~who's fixing it"),
        Q("repair_hours", "local.repair_time", "How long will the repairs take?|~how long to fix"),
        requires=("local.households",)),
    T("local", "lead", [
        "A new public library opened in {city} on {weekday} with {books:num 20000 300000} books and a reading room for {lib_seats:int 50 400} people.",
        "{city:poss} new public library, which opened on {weekday}, holds {books:num 20000 300000} books and has seats for {lib_seats:int 50 400} readers."],
        Q("books", "local.books", "How many books does the library have?|~how many books"),
        Q("lib_seats", "local.seats", "How many people can the reading room hold?|How many readers can the library seat?|~how many seats"),
        Q("weekday", "local.open_day", "When did the library open?|~when did it open"),
        event="the library opening"),
    T("local", "detail", [
        "The building cost {lib_cost:money 5 80 million} and took {build_years:int 2 6 years} to complete.",
        "Built over {build_years:int 2 6 years}, the library cost {lib_cost:money 5 80 million}."],
        Q("lib_cost", "local.lib_cost", "How much did the library cost?|~how much did it cost"),
        Q("build_years", "local.build_time", "How long did the library take to build?|~how long did it take to build"),
        requires=("local.books",)),

    # ------------------------------------------------------------------ statements / quotes
    T("statements", "lead", [
        "\"{quote.text:pick QUOTES},\" {speaker}, the {job:pick JOBS} of {org}, said in a statement on {weekday}.",
        "{speaker}, {org:poss} {job:pick JOBS}, said in a statement on {weekday}: \"{quote.text:pick QUOTES}.\""],
        Q("speaker", "stmt.speaker", "Who said {quote.gist}?|Who issued the statement?|~who said {quote.gist}|Which official said {quote.gist}?"),
        Q("job", "stmt.job", "What is {speaker:poss} position?|What is {speaker:poss} job title?|~what's {speaker.last}'s role"),
        Q("org", "stmt.org", "Which organisation does {speaker} work for?|Where does {speaker.last} work?|~who does {speaker.last} work for"),
        Q("weekday", "stmt.day", "When was the statement issued?|~when did they say it"),
        event="the statement"),
    T("statements", "lead", [
        "{speaker}, {org:poss} {job:pick JOBS}, told {outlet} in an interview on {weekday} that {claim:pick CLAIMS}.",
        "In an interview with {outlet} on {weekday}, {speaker}, the {job:pick JOBS} of {org}, said {claim:pick CLAIMS}."],
        Q("outlet", "stmt.outlet", "Which outlet did {speaker} speak to?|Who interviewed {speaker}?|~who did {speaker.last} talk to"),
        Q("speaker", "stmt.interviewee", "Who did {outlet} interview?|Who gave the interview?|~who was interviewed"),
        Q("job", "stmt.job", "What is {speaker:poss} position?|What is {speaker:poss} job title?|~what's {speaker.last}'s role"),
        Q("claim", "stmt.claim", "What did {speaker.last} say in the interview?|~what did {speaker.last} say"),
        Q("org", "stmt.org", "Which organisation does {speaker} work for?|~who does {speaker.last} work for"),
        event="the interview"),
    T("statements", "detail", [
        "{spokes2}, a spokesperson for {org2}, declined to comment.",
        "A spokesperson for {org2}, {spokes2}, declined to comment."],
        Q("spokes2", "gen.spokesperson", "Who is the spokesperson for {org2}?|~who's the spokesperson for {org2:bare}"),
        Q("org2", "stmt.declined", "Which organisation declined to comment?|~which org declined to comment")),
    T("statements", "detail", [
        "{critic}, a former {job2:pick JOBS} at {org3}, criticised the remarks on social media.",
        "The remarks were criticised on social media by {critic}, a former {job2:pick JOBS} at {org3}."],
        Q("critic", "stmt.critic", "Who criticised the remarks?|~who criticised it"),
        Q("org3", "stmt.critic_org", "Where did {critic} previously work?|~where did {critic.last} work before"),
        Q("job2", "stmt.critic_job", "What position did {critic} formerly hold?"),
        requires=("stmt.speaker|stmt.interviewee",)),

    # ------------------------------------------------------------------ generic details
    T("*", "detail", [
        "News of {event} was first reported by {outlet}.",
        "{outlet} was the first to report {event}, citing {n_src:int 2 4 people} familiar with the matter."],
        Q("outlet", "gen.first_outlet", "Which outlet first reported {event}?|Which news organisation first reported {event}?|Who broke the news of {event}?|~which outlet reported it first|~who reported {event} first|+and which outlet reported it first"),
        skip_themes=("statements",)),
    T("*", "detail", [
        "{spokes}, a spokesperson for {org}, said officials were still assessing {event}.",
        "{org:bare} spokesperson {spokes} said more details would be released later.",
        "\"We are following the situation closely,\" said {spokes}, a spokesperson for {org}."],
        Q("spokes", "gen.spokesperson", "Who is the spokesperson for {org}?|Who spoke on behalf of {org}?|Who is {org:poss} spokesperson?|~who's the spokesperson|~who's the spokesperson for {org:bare}|+and who's their spokesperson"),
        Q("org", "gen.spokes_org", "Which organisation does {spokes} speak for?|~who does {spokes.last} speak for|Who does {spokes} represent?"),
        skip_themes=("sport",)),

    # ------------------------------------------------------------------ distractors
    T("*", "distractor", [
        "Separately, officials in {city2} said {schools:num 10 300} schools would reopen on {weekday_x}.",
        "In {city2}, meanwhile, {schools:num 10 300} schools are due to reopen on {weekday_x}, officials said."],
        Q("schools", "dx.schools", "How many schools will reopen in {city2}?|~how many schools are reopening in {city2}"),
        Q("weekday_x", "dx.schools_day", "When will schools in {city2} reopen?"),
        covers=("dis.schools_until",)),
    T("*", "distractor", [
        "{pop:num 800000 12000000} people live in the wider {city2} area, according to census figures.",
        "The wider {city2} area is home to {pop:num 800000 12000000} people, according to census figures."],
        Q("pop", "dx.population", "How many people live in the {city2} area?|What is the population of the {city2} area?")),
    T("*", "distractor", [
        "Forecasters expect temperatures of up to {temp:int 30 45 degrees Celsius} in {city2} this week.",
        "Temperatures in {city2} are forecast to reach {temp:int 30 45 degrees Celsius} this week."],
        Q("temp", "dx.temp", "What temperatures are forecast for {city2}?|~how hot will it get in {city2}")),
    T("*", "distractor", [
        "{person_x}, who heads {org_x:poss} office in {city2}, is due to retire in {month_x}.",
        "{org_x:poss} office in {city2}, led by {person_x}, said its head would retire in {month_x}."],
        Q("person_x", "dx.office_head", "Who heads {org_x:poss} office in {city2}?|~who runs the {org_x:bare} office in {city2}"),
        Q("month_x", "dx.retire", "When is {person_x} due to retire?"),
        covers=("gen.spokes_org",)),
    T("*", "distractor", [
        "The {museum:pick MUSEUMS} in {city2} reported {museum_vis:num 10000 900000} visitors in {year_x}.",
        "In {year_x}, the {museum:pick MUSEUMS} in {city2} welcomed {museum_vis:num 10000 900000} visitors."],
        Q("museum_vis", "dx.museum", "How many visitors did the {museum} report in {year_x}?|How many people visited the {museum} in {city2}?"),
        covers=("local.visitors",)),
    T("*", "distractor", [
        "Train services between {city} and {city2} were suspended for {train_hours:int 2 9 hours} on {weekday_x} because of a signal fault.",
        "A signal fault halted trains between {city} and {city2} for {train_hours:int 2 9 hours} on {weekday_x}."],
        Q("train_hours", "dx.train", "How long were train services suspended?|How long were trains between {city} and {city2} halted?|~how long were the trains down")),
    T("*", "distractor", [
        "Earlier this year, {country_x} opened a new embassy in {city}.",
        "{country_x} opened a new embassy in {city} earlier this year."],
        Q("country_x", "dx.embassy", "Which country opened a new embassy in {city}?|~who opened an embassy in {city}")),
    T("*", "distractor", [
        "In {year_x}, {country_x} hosted {heads:int 20 80} heads of state at a summit in {city_x}.",
        "{country_x} hosted {heads:int 20 80} heads of state at a summit in {city_x} in {year_x}."],
        Q("heads", "dx.summit_size", "How many heads of state attended the {year_x} summit?|~how many leaders came to the {year_x} summit"),
        Q("city_x", "dx.summit_city", "Where was the {year_x} summit held?"),
        covers=("dip.n_countries", "dip.venue")),
    T("*", "distractor", [
        "Meteorologists recorded {rain_mm:int 20 300 millimetres} of rain in {city2} over the weekend.",
        "{city2} saw {rain_mm:int 20 300 millimetres} of rain over the weekend, meteorologists said."],
        Q("rain_mm", "dx.rain", "How much rain fell in {city2} over the weekend?|~how much rain did {city2} get"),
        covers=("dis.rain_days",)),
    T("*", "distractor", [
        "{outlet_x} reported last week that {person_y} had been appointed {job_y:pick JOBS} of {org_y}.",
        "Last week {outlet_x} reported the appointment of {person_y} as {job_y:pick JOBS} of {org_y}."],
        Q("person_y", "dx.appointed", "Who was appointed {job_y} of {org_y}?|~who got the {job_y} job at {org_y:bare}"),
        Q("outlet_x", "dx.appointment_outlet", "Which outlet reported {person_y:poss} appointment?"),
        covers=("stmt.outlet", "biz.interview_outlet", "gen.first_outlet")),
    T("*", "distractor", [
        "{country_x:poss} economy grew {gdp:pct 1 7} last year, according to official data.",
        "Official data show {country_x:poss} economy grew {gdp:pct 1 7} last year."],
        Q("gdp", "dx.gdp", "How much did {country_x:poss} economy grow last year?|~what was {country_x:poss} growth last year")),
]


def _global_specs():
    """Slot name -> draw spec over all templates; a name must mean the same thing everywhere."""
    specs = {}
    for t in TEMPLATES:
        for name, draw in t.specs.items():
            if specs.setdefault(name, draw) != draw:
                raise ValueError(f"slot {name!r} drawn as {specs[name]!r} and {draw!r}")
    return specs


GLOBAL_SPECS = _global_specs()

THEMES = ["politics", "police", "courts", "disasters", "business", "health", "sport", "science",
          "diplomacy", "local", "statements"]

# Which organisation list fills {org}, {org2}, ... in each theme.
THEME_ORG_KIND = {"politics": "party", "police": "law", "courts": "law", "disasters": "aid",
                  "business": "regulator", "health": "health", "sport": "sportbody",
                  "science": "science", "diplomacy": "intl", "local": "localbody",
                  "statements": None}
STATEMENT_ORG_KINDS = ["law", "health", "aid", "intl", "science", "regulator", "sportbody"]

# Slot-name word -> entity kind. Anything with a draw spec (num, pick, ...) is handled apart.
PLACE_WORDS = ("city", "country", "demonym")
PERSON_WORDS = ("spokes", "suspect", "defendant", "lawyer", "judge", "minister", "successor", "pm",
                "leader", "ambassador", "player", "athlete", "runner", "coach", "scientist",
                "expert", "speaker", "critic", "ceo", "mayor", "opp", "person")
ORG_WORDS = {"org": None, "agency": "screen", "healthreg": "healthreg", "regulator": "regulator",
             "company": "company", "space": "space", "sportbody": "sportbody", "doping": "doping", "outlet": "outlet"}
TIME_WORDS = ("weekday", "month", "year", "date")
SWAPPABLE = {"place", "person", "org", "time"}
NAMED = {"place", "person", "org"}


def slot_kind(name: str) -> tuple[str, str, str]:
    """'city2' -> ('place', 'city', '2'); 'person_x' -> ('person', 'person', '_x')."""
    for group, words in (("place", PLACE_WORDS), ("person", PERSON_WORDS), ("org", tuple(ORG_WORDS)),
                         ("time", TIME_WORDS)):
        for w in sorted(words, key=len, reverse=True):
            if name.startswith(w):
                rest = name[len(w):]
                if rest == "" or rest.isdigit() or rest.startswith("_"):
                    return group, w, rest
    return "", name, ""


# =====================================================================================
# Stories: drawing slot values and rendering text with spans
# =====================================================================================

NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
ROUND_QUALIFIERS = ["about", "nearly", "more than", "at least", "approximately", "roughly", "some",
                    "almost", "over", "around"]
EXACT_QUALIFIERS = ["at least", "more than"]
MONEY_QUALIFIERS = ["about", "nearly", "more than", "roughly", "almost", "some", "over"]
PCT_QUALIFIERS = ["about", "roughly", "nearly", "almost", "more than", "around"]


class Val:
    """A drawn slot value. `core` is the answer text; article/possessive are decoration."""

    def __init__(self, core, kind, article="", attrs=None, aliases=None):
        self.core, self.kind, self.article = core, kind, article
        self.attrs = attrs or {}
        self.aliases = list(aliases) if aliases else [core]

    def render(self, attr: str, mods: list[str]):
        """Return (text, core_start, core_end)."""
        if attr:
            core, article = self.attrs[attr], ""
            if core.startswith("the "):
                article, core = "the", core[4:]
        else:
            core, article = self.core, self.article
        if "a" in mods and not article:
            article = "an" if core[:1].lower() in "aeio" else "a"  # "a Ugandan", "a Uruguayan"
        if "bare" in mods:
            article = ""
        prefix = article + " " if article else ""
        suffix = ""
        if "poss" in mods:
            suffix = "'" if core.endswith("s") and not core.endswith("ss") else "'s"
        return prefix + core + suffix, len(prefix), len(prefix) + len(core)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Story:
    """Slot values of one passage, drawn lazily and reused wherever a slot name recurs."""

    def __init__(self, rng: random.Random, theme: str):
        self.rng, self.theme = rng, theme
        self.cache: dict[str, Val] = {}
        self.records: dict[str, tuple] = {}
        self.used: dict[str, set] = defaultdict(set)
        self.org_kind = THEME_ORG_KIND[theme] or rng.choice(STATEMENT_ORG_KINDS)

    # ----------------------------------------------------------------- drawing
    def get(self, name: str, draw: str | None) -> Val:
        if name not in self.cache:
            self.cache[name] = self.draw(name, draw or GLOBAL_SPECS.get(name))
        return self.cache[name]

    def draw(self, name: str, draw: str | None) -> Val:
        if draw:
            return self.draw_spec(draw)
        group, word, rec = slot_kind(name)
        if group == "place":
            return self.place_val(word, self.record(rec))
        if group == "person":
            return self.person_val()
        if group == "org":
            return self.org_val(self.org_kind if word == "org" else ORG_WORDS[word])
        if group == "time":
            return self.time_val(word)
        raise KeyError(f"slot {name!r} has no draw spec and no known kind")

    def record(self, rec: str):
        if rec not in self.records:
            used = {r[0] for r in self.records.values()}
            self.records[rec] = self.rng.choice([c for c in COUNTRIES if c[0] not in used])
        return self.records[rec]

    @staticmethod
    def record_aliases(record):
        article, name = _split_article(record[0])
        return [name, record[1]] + record[2]

    def place_val(self, word, record):
        aliases = self.record_aliases(record)
        if word == "country":
            article, name = _split_article(record[0])
            return Val(name, "place", article, aliases=aliases)
        if word == "demonym":
            return Val(record[1], "place", aliases=aliases)
        free = [c for c in record[2] if c not in self.used["city"]] or record[2]
        city = self.rng.choice(free)
        self.used["city"].add(city)
        return Val(city, "place", aliases=aliases)

    def person_val(self):
        for _ in range(50):
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if first not in self.used["first"] and last not in self.used["last"]:
                break
        self.used["first"].add(first)
        self.used["last"].add(last)
        full = f"{first} {last}"
        return Val(full, "person", attrs={"first": first, "last": last}, aliases=[full, last])

    def org_val(self, kind):
        choices = [o for o in ORGS[kind] if o["full"] not in self.used["org"]]
        org = self.rng.choice(choices)
        self.used["org"].add(org["full"])
        full_art, full = _split_article(org["full"])
        aliases = [full]
        form = (full_art, full)
        if org["acr"]:
            acr_art, acr = _split_article(org["acr"])
            aliases.append(acr)
            if self.rng.random() < 0.6:
                form = (acr_art, acr)
        attrs = {"site": org["site"]} if org["site"] else {}
        return Val(form[1], "org", form[0], attrs=attrs, aliases=aliases)

    def time_val(self, word):
        rng = self.rng
        if word == "weekday":
            v = rng.choice([d for d in WEEKDAYS if d not in self.used["weekday"]])
            self.used["weekday"].add(v)
        elif word in ("month", "date"):
            m = rng.choice([m for m in MONTHS if m not in self.used["month"]])
            self.used["month"].add(m)
            v = m if word == "month" else f"{m} {rng.randint(1, 28)}"
        else:
            v = str(rng.choice([y for y in range(2012, 2025) if str(y) not in self.used["num"]]))
            self.used["num"].add(v)
        return Val(v, "time")

    def draw_spec(self, draw: str) -> Val:
        tokens = draw.split()
        kind = tokens[0]
        if kind == "pick":
            values = LISTS[tokens[1]]
            fresh = [v for v in values if repr(v) not in self.used["pick"]] or values
            v = self.rng.choice(fresh)
            self.used["pick"].add(repr(v))
            if isinstance(v, dict):
                return Val(v["text"], "pick", attrs=v)
            if tokens[1] in CLAUSE_LISTS:  # whole clauses: the leading article is part of the answer
                return Val(v, "pick")
            article, core = _split_article(v)
            return Val(core, "pick", article)
        for _ in range(40):  # numbers: keep every digit string unique within the passage
            text = self.number_text(kind, tokens[1:])
            digits = set(re.findall(r"\d+(?:[.,:]\d+)*", text)) or {text}
            if not digits & self.used["num"]:
                break
        self.used["num"] |= digits
        return Val(text, "number")

    def number_text(self, kind, args):
        rng = self.rng
        if kind == "mag":
            return f"{rng.uniform(4.6, 7.8):.1f}"
        if kind == "mtime":
            return f"2:{rng.randint(3, 12):02d}:{rng.randint(0, 59):02d}"
        lo, hi = float(args[0]), float(args[1])
        unit = " ".join(args[2:])
        if kind == "int":
            v = rng.randint(int(lo), int(hi))
            word = NUMBER_WORDS[v] if v < 10 and unit else f"{v:,}"
            return f"{word} {unit}" if unit else word
        if kind == "word":
            v = rng.randint(int(lo), int(hi))
            return NUMBER_WORDS[v] if v < 10 else str(v)
        if kind == "ord":
            return ordinal(rng.randint(int(lo), int(hi)))
        if kind == "pct":
            v = rng.randint(int(lo), int(hi))
            s = f"{v}.{rng.randint(1, 9)}" if rng.random() < 0.25 and v < hi else str(v)
            q = rng.choice(PCT_QUALIFIERS) + " " if rng.random() < 0.4 else ""
            return f"{q}{s} percent"
        if kind == "money":
            return self.money_text(lo, hi, unit)
        if kind == "num":
            return self.count_text(lo, hi, unit)
        raise ValueError(kind)

    def count_text(self, lo, hi, unit):
        rng = self.rng
        v = int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))
        step = next(s for limit, s in ((1_000_000, 100_000), (100_000, 10_000), (10_000, 1_000),
                                       (1_000, 100), (100, 10), (20, 5), (0, 1)) if v >= limit)
        rounded = step > 1 and rng.random() < 0.7
        if rounded:
            v = max(step, round(v / step) * step)
        if v >= 1_000_000:
            s = f"{v / 1e6:.1f}".rstrip("0").rstrip(".") + " million"
        elif v < 10:
            s = NUMBER_WORDS[v]
        else:
            s = f"{v:,}"
        if rounded and rng.random() < 0.85:
            s = rng.choice(ROUND_QUALIFIERS) + " " + s
        elif not rounded and rng.random() < 0.3:
            s = rng.choice(EXACT_QUALIFIERS) + " " + s
        return f"{s} {unit}" if unit else s

    def money_text(self, lo, hi, scale):
        rng = self.rng
        symbol = rng.choices(["$", "€", "£"], [70, 15, 15])[0]
        if scale == "thousand":
            v = rng.randint(int(lo), int(hi)) * 1000
            s = f"{symbol}{v:,}"
        else:
            v = rng.uniform(lo, hi)
            num = f"{v:.1f}".rstrip("0").rstrip(".") if v < 10 else str(int(v))
            s = f"{symbol}{num} {scale}"
        if rng.random() < 0.45:
            s = rng.choice(MONEY_QUALIFIERS) + " " + s
        return s

    def alternative(self, name: str, context_low: str) -> Val | None:
        """A value of the same kind as slot `name` that appears nowhere in the context."""
        group, word, _ = slot_kind(name)
        current = self.cache.get(name)
        for _ in range(30):
            if group == "place":
                record = self.rng.choice(COUNTRIES)
                val = Story(self.rng, self.theme).place_val(word, record)
            elif group == "person":
                val = Story(self.rng, self.theme).person_val()
            elif group == "org":
                kind = self.org_kind if word == "org" else ORG_WORDS[word]
                val = Story(self.rng, self.theme).org_val(kind)
            elif group == "time":
                val = Story(self.rng, self.theme).time_val(word)
            else:
                return None
            if current is not None and val.core == current.core:
                continue
            if all(a.lower() not in context_low for a in val.aliases):
                return val
        return None

    # ----------------------------------------------------------------- rendering
    def render(self, text: str, specs: dict, overrides: dict | None = None, capitalize=True):
        """Fill a template. Returns (text, {field: (start, end)}, [(start, end, slot)], [Val])."""
        out, pos = [], 0
        spans, all_spans, vals = {}, [], []
        for literal, field, spec, _ in string.Formatter().parse(text):
            out.append(literal)
            pos += len(literal)
            if field is None:
                continue
            base, _, attr = field.partition(".")
            _, mods = split_spec(spec or "")
            if overrides and base in overrides:
                val = overrides[base]
            else:
                val = self.get(base, specs.get(base))
            piece, s, e = val.render(attr, mods)
            spans.setdefault(field, (pos + s, pos + e))
            all_spans.append((pos + s, pos + e, base))
            vals.append(val)
            out.append(piece)
            pos += len(piece)
        result = "".join(out)
        if capitalize and result:
            result = result[0].upper() + result[1:]
        return result, spans, all_spans, vals


# =====================================================================================
# Question styles
# =====================================================================================

CONTRACTIONS = [("who is ", "who's "), ("what is ", "what's "), ("where is ", "where's "),
                ("when is ", "when's "), ("how long is ", "how long's "), ("how is ", "how's ")]


def chatify(question: str, rng: random.Random, prefix=True) -> str:
    s = question.strip().rstrip("?").strip().lower()
    for a, b in CONTRACTIONS:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    s = s.replace(" do not ", " don't ").replace(" did not ", " didn't ")
    if prefix and rng.random() < 0.15:
        s = rng.choice(["so ", "ok ", "hey "]) + s
    return s


def followupify(question: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "And " + question[0].lower() + question[1:]
    return "and " + chatify(question, rng, prefix=False)


def styled(question: str, style: str, rng: random.Random) -> str:
    """Formal questions are sometimes turned into chat or follow-up style."""
    if style == "chat" and rng.random() < 0.5:
        return question.lower()
    if style != "formal":
        return question
    r = rng.random()
    if r < 0.15:
        return chatify(question, rng)
    if r < 0.23:
        return followupify(question, rng)
    return question


# =====================================================================================
# Passage generation
# =====================================================================================

LEADS = defaultdict(list)
OTHERS = {"detail": [], "distractor": []}
for _t in TEMPLATES:
    if _t.role == "lead":
        LEADS[_t.theme].append(_t)
    else:
        OTHERS[_t.role].append(_t)


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.cross_pool = defaultdict(lambda: deque(maxlen=300))
        self.counters = Counter()

    def passages(self, count: int):
        for i in range(count):
            theme = THEMES[i % len(THEMES)]
            rng = random.Random(f"{self.seed}:{i}")
            passage = self.passage(rng, theme, f"gen-{theme}-{i:05d}")
            if passage is None:
                continue
            hits = forbidden_hits(passage["context"], *[q["question"] for q in passage["qas"]])
            if hits:
                self.counters["rejected_forbidden"] += 1
                print(f"generator: rejected {passage['id']} (reserved content: {', '.join(hits)})",
                      file=sys.stderr)
                continue
            yield passage

    def pick_templates(self, rng, theme):
        lead = rng.choice(LEADS[theme])
        keys = set(lead.keys)
        n_sent = rng.choices([2, 3, 4, 5], [20, 35, 30, 15])[0]
        n_distract = min(rng.choices([0, 1, 2], [40, 45, 15])[0], n_sent - 1)
        details, distractors = [], []
        for role, wanted, bucket in (("detail", n_sent - 1 - n_distract, details),
                                     ("distractor", n_distract, distractors)):
            for _ in range(wanted):
                options = [t for t in OTHERS[role] if t.eligible(theme, keys)]
                if not options:
                    break
                t = rng.choice(options)
                bucket.append(t)
                keys |= t.keys
        order = [lead] + details
        for d in distractors:
            order.insert(rng.randint(1, len(order)), d)
        return lead, order, keys

    def passage(self, rng, theme, pid):
        story = Story(rng, theme)
        lead, order, keys = self.pick_templates(rng, theme)
        story.cache["event"] = Val(lead.event, "event")
        sentences, candidates, all_spans, offset = [], [], [], 0
        rendered = []
        for t in order:
            text, spans, sent_spans, _ = story.render(rng.choice(t.texts), t.specs)
            rendered.append((t, text, spans, offset))
            all_spans += [(s + offset, e + offset, b) for s, e, b in sent_spans]
            sentences.append(text)
            offset += len(text) + 1
        context = " ".join(sentences)
        span_slot = {(s, e): b for s, e, b in all_spans}
        for t, text, spans, off in rendered:
            for q in t.qs:
                s, e = spans[q.answer]
                answer = context[off + s: off + e]
                first = context.find(answer)
                if first != off + s and span_slot.get((first, first + len(answer))) != q.answer.split(".")[0]:
                    self.counters["dropped_ambiguous_answer"] += 1
                    continue
                candidates.append((t, q, answer))

        n_questions = rng.choice([4, 5, 5, 6])
        n_null = min(sum(rng.random() < UNANSWERABLE_RATE for _ in range(n_questions)), n_questions - 2)
        qas, seen = [], set()

        def add(question, answer):
            norm = question.lower().strip(" ?")
            if norm in seen:
                return False
            seen.add(norm)
            qas.append({"question": question, "answer": answer})
            return True

        # answerable: distinct fact keys first, a second phrasing of a fact only if short
        rng.shuffle(candidates)
        per_key = Counter()
        for limit in (1, 2):
            for t, q, answer in candidates:
                if sum(a is not None for a in (x["answer"] for x in qas)) >= n_questions - n_null:
                    break
                if per_key[q.key] >= limit:
                    continue
                usable = [(p, st) for p, st in q.phrasings
                          if all(f.split(".")[0] in story.cache for f, _ in template_fields(p))]
                if not usable:
                    continue
                phrase, style = rng.choice(usable)
                question, _, _, vals = story.render(phrase, t.specs, capitalize=style == "formal")
                if add(styled(question, style, rng), answer):
                    per_key[q.key] += 1
                    aliases = [a for v in vals if v.kind in NAMED for a in v.aliases]
                    if aliases and t.role != "distractor":
                        self.cross_pool[theme].append((question, aliases))
        n_answerable = len(qas)
        if n_answerable == 0:
            return None

        # unanswerable
        context_low = context.lower()
        self.used_null_phrases = set()
        for _ in range(n_null):
            for strategy in rng.choices([["swap", "missing", "cross"], ["missing", "swap", "cross"],
                                         ["cross", "swap", "missing"]], [45, 35, 20])[0]:
                q = getattr(self, "null_" + strategy)(rng, story, theme, candidates, keys, context_low)
                if q and add(q, None):
                    self.counters["null_" + strategy] += 1
                    break
        rng.shuffle(qas)
        return {"id": pid, "title": f"{theme.capitalize()}: {lead.event}", "context": context,
                "qas": qas, "theme": theme}

    # ----------------------------------------------------------- unanswerable strategies
    def null_swap(self, rng, story, theme, candidates, keys, context_low):
        options = []
        facts = [c for c in candidates if c[0].role != "distractor"] or candidates
        for t, q, _ in facts:
            for phrase, style in q.phrasings:
                slots = {f.split(".")[0] for f, _ in template_fields(phrase)}
                swappable = [s for s in slots if slot_kind(s)[0] in SWAPPABLE]
                if swappable:
                    options.append((t, phrase, style, swappable))
        if not options:
            return None
        fresh = [o for o in options if o[1] not in self.used_null_phrases]
        t, phrase, style, swappable = rng.choice(fresh or options)
        self.used_null_phrases.add(phrase)
        slot = rng.choice(sorted(swappable))
        alt = story.alternative(slot, context_low)
        if alt is None:
            return None
        question, _, _, _ = story.render(phrase, t.specs, overrides={slot: alt},
                                         capitalize=style == "formal")
        return styled(question, style, rng)

    def null_missing(self, rng, story, theme, candidates, keys, context_low):
        options = [(t, q) for t in TEMPLATES if t.theme in (theme, "*") and t.role != "distractor"
                   and theme not in t.skip_themes for q in t.qs if q.key not in keys]
        # prefer facts that could have been in this story (details whose requirements hold)
        related = [(t, q) for t, q in options
                   if t.role == "detail" and all(req & keys for req in t.requires)]
        if related and rng.random() < 0.6:
            options = related
        if not options:
            return None
        t, q = rng.choice(options)
        phrase, style = rng.choice(q.phrasings)
        self.used_null_phrases.add(phrase)
        question, _, _, _ = story.render(phrase, t.specs, capitalize=style == "formal")
        return styled(question, style, rng)

    def null_cross(self, rng, story, theme, candidates, keys, context_low):
        pool = [(qq, al) for qq, al in self.cross_pool[theme]
                if all(a.lower() not in context_low for a in al)]
        if not pool:
            return None
        return rng.choice(pool)[0]


def generate_passages(seed: int, count: int):
    gen = Generator(seed)
    passages = list(gen.passages(count))
    return passages, gen.counters


# =====================================================================================
# Handwritten passages
# =====================================================================================


def source_prefix(path: Path) -> str:
    """'law_04.jsonl' -> 'law' (the file prefix used as the source name in stats)."""
    return re.sub(r"[_-]?\d+$", "", path.stem) or path.stem


def validate_passage(obj, default_title: str):
    """Return (passage, None) or (None, reason)."""
    if not isinstance(obj, dict):
        return None, "line is not a JSON object"
    pid = obj.get("id")
    if not isinstance(pid, str) or not pid.strip():
        return None, "missing or empty 'id'"
    title = obj.get("title", default_title)
    if not isinstance(title, str):
        return None, "'title' is not a string"
    context = obj.get("context")
    if not isinstance(context, str) or not context.strip():
        return None, "missing or empty 'context'"
    qas = obj.get("qas")
    if not isinstance(qas, list) or not qas:
        return None, "missing or empty 'qas' list"
    clean = []
    for i, qa in enumerate(qas):
        if not isinstance(qa, dict):
            return None, f"qas[{i}] is not an object"
        question = qa.get("question")
        if not isinstance(question, str) or not question.strip():
            return None, f"qas[{i}]: missing or empty 'question'"
        if "answer" not in qa:
            return None, f"qas[{i}]: missing 'answer' (use null for unanswerable)"
        answer = qa["answer"]
        if answer is not None:
            if not isinstance(answer, str) or not answer.strip():
                return None, f"qas[{i}]: 'answer' must be a non-empty string or null"
            if answer not in context:
                hint = ""
                if answer.lower() in context.lower() or " ".join(answer.split()) in " ".join(context.split()):
                    hint = " (differs only in case or whitespace)"
                return None, f"qas[{i}]: answer {answer[:60]!r} is not a substring of the context{hint}"
        clean.append({"question": question.strip(), "answer": answer})
    hits = forbidden_hits(title, context, *[q["question"] for q in clean],
                          *[q["answer"] or "" for q in clean])
    if hits:
        return None, f"REJECTED: contains reserved evaluation content ({', '.join(hits)})"
    return {"id": pid.strip(), "title": title, "context": context, "qas": clean}, None


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_handwritten(directory: Path):
    passages, problems, seen = [], [], {}
    for path in sorted(directory.glob("*.jsonl")):
        try:
            raw = path.read_bytes()
        except OSError as err:
            problems.append((f"{path}", f"cannot read file: {err}"))
            continue
        prefix = source_prefix(path)
        for lineno, line in enumerate(raw.split(b"\n"), 1):
            where = f"{display_path(path)}:{lineno}"
            try:
                text = line.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
            except UnicodeDecodeError as err:
                problems.append((where, f"not valid UTF-8 ({err.reason} at byte {err.start})"))
                continue
            if not text:
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as err:
                problems.append((where, f"invalid JSON: {err.msg} at column {err.colno}"
                                        + (" (line looks truncated)" if not text.endswith("}") else "")))
                continue
            passage, reason = validate_passage(obj, default_title=path.stem)
            if reason:
                problems.append((where, reason))
                continue
            if passage["id"] in seen:
                problems.append((where, f"duplicate id {passage['id']!r} (first seen at {seen[passage['id']]})"))
                continue
            if passage["id"].startswith("gen-"):
                problems.append((where, f"id {passage['id']!r} uses the reserved 'gen-' prefix"))
                continue
            seen[passage["id"]] = where
            passage["source"] = f"handwritten/{prefix}"
            passages.append(passage)
    return passages, problems


# =====================================================================================
# Build: offsets, split, SQuAD output, stats
# =====================================================================================


def split_score(seed: int, pid: str) -> float:
    digest = hashlib.sha256(f"{seed}:{pid}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def split_passages(passages, seed):
    """Deterministic split by passage id; at least one passage of the group in test if >= 2."""
    scored = sorted(passages, key=lambda p: split_score(seed, p["id"]))
    test = [p for p in scored if split_score(seed, p["id"]) < TEST_FRACTION]
    if not test and len(scored) >= 2:
        test = scored[:1]
    test_ids = {p["id"] for p in test}
    return [p for p in passages if p["id"] not in test_ids], test


def to_squad(passages):
    data = []
    for p in sorted(passages, key=lambda p: p["id"]):
        qas = []
        for i, qa in enumerate(p["qas"]):
            answer = qa["answer"]
            entry = {"id": f"{p['id']}-q{i + 1}", "question": qa["question"],
                     "is_impossible": answer is None, "answers": []}
            if answer is not None:
                start = p["context"].find(answer)
                if start < 0 or p["context"][start:start + len(answer)] != answer:
                    raise ValueError(f"{p['id']}: answer {answer!r} not found")
                entry["answers"] = [{"text": answer, "answer_start": start}]
            qas.append(entry)
        data.append({"title": p["title"], "paragraphs": [{"context": p["context"], "qas": qas}]})
    return {"version": "v2.0", "data": data}


def write_json_gz(path: Path, obj):
    payload = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as gz:
            gz.write(payload)
    os.replace(tmp, path)


WH_WORDS = {"what", "which", "who", "whom", "whose", "where", "when", "why", "how"}


def question_word(question: str) -> str:
    tokens = [t.split("'")[0] for t in re.findall(r"[a-z']+", question.lower())]
    for i, tok in enumerate(tokens[:4]):
        if tok in WH_WORDS:
            if tok == "how" and i + 1 < len(tokens) and tokens[i + 1] in ("many", "much", "long", "old", "far"):
                return f"how {tokens[i + 1]}"
            return "whom" if tok == "whom" else tok
    return "other"


def count_passages(passages):
    c = Counter(passages=len(passages))
    for p in passages:
        for qa in p["qas"]:
            c["questions"] += 1
            c["answerable" if qa["answer"] is not None else "unanswerable"] += 1
    return dict(sorted(c.items()))


def build_stats(splits: dict, seed: int, extra: dict):
    stats = {"seed": seed, "splits": {}, "by_source": {}, "question_words": {}}
    stats.update(extra)
    for name, passages in splits.items():
        stats["splits"][name] = count_passages(passages)
        groups = defaultdict(list)
        for p in passages:
            groups[p["source"]].append(p)
        stats["by_source"][name] = {src: count_passages(ps) for src, ps in sorted(groups.items())}
        words = Counter(question_word(qa["question"]) for p in passages for qa in p["qas"])
        stats["question_words"][name] = dict(sorted(words.items(), key=lambda kv: (-kv[1], kv[0])))
    return stats


def cmd_build(args):
    started = time.monotonic()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    handwritten, problems = load_handwritten(Path(args.handwritten))
    for where, reason in problems:
        print(f"WARNING {where}: {reason}", file=sys.stderr)
    rejected_forbidden = sum("reserved evaluation content" in r for _, r in problems)

    generated, counters = generate_passages(args.seed, args.count)
    for p in generated:
        p["source"] = f"generated/{p.pop('theme')}"

    hw_train, hw_test = split_passages(handwritten, args.seed)
    gen_train, gen_test = split_passages(generated, args.seed)
    splits = {"train": hw_train + gen_train, "test": hw_test + gen_test, "test-handwritten": hw_test}
    for name, passages in splits.items():
        write_json_gz(out / f"{name}.json.gz", to_squad(passages))

    # Re-verify what was written.
    for name in splits:
        problems_out = verify_file(out / f"{name}.json.gz")[0]
        if problems_out:
            for p in problems_out[:20]:
                print(f"ERROR {name}: {p}", file=sys.stderr)
            return 1

    extra = {"handwritten_invalid_lines": len(problems),
             "handwritten_rejected_reserved": rejected_forbidden,
             "generator": dict(sorted(counters.items())),
             "sentence_templates": sum(len(t.texts) for t in TEMPLATES)}
    stats = build_stats(splits, args.seed, extra)
    (out / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True) + "\n", encoding="utf-8")

    elapsed = time.monotonic() - started
    print(f"reader data built in {elapsed:.1f}s (seed {args.seed}) -> {out}")
    print(f"  handwritten: {len(handwritten)} passages loaded, {len(problems)} lines skipped"
          + (f" ({rejected_forbidden} for reserved content)" if rejected_forbidden else ""))
    print(f"  generated:   {len(generated)} passages from {extra['sentence_templates']} sentence templates"
          + (f", {counters['rejected_forbidden']} rejected for reserved content" if counters["rejected_forbidden"] else ""))
    for name in splits:
        s = stats["splits"][name]
        print(f"  {name:17s} {s.get('passages', 0):6d} passages {s.get('questions', 0):6d} questions "
              f"({s.get('answerable', 0)} answerable, {s.get('unanswerable', 0)} unanswerable)")
    return 0


# =====================================================================================
# Check
# =====================================================================================


def verify_file(path: Path):
    """Return (problems, counts) for a SQuAD 2.0 .json.gz file."""
    problems, counts = [], Counter()
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as err:
        return [f"cannot read {path}: {err}"], counts
    if not isinstance(doc, dict) or doc.get("version") != "v2.0" or not isinstance(doc.get("data"), list):
        return ["top level must be {'version': 'v2.0', 'data': [...]}"], counts
    ids = set()
    for a, article in enumerate(doc["data"]):
        if not isinstance(article, dict) or not isinstance(article.get("title"), str) \
                or not isinstance(article.get("paragraphs"), list):
            problems.append(f"data[{a}]: needs 'title' (string) and 'paragraphs' (list)")
            continue
        counts["articles"] += 1
        for para in article["paragraphs"]:
            context = para.get("context") if isinstance(para, dict) else None
            if not isinstance(context, str) or not isinstance(para.get("qas"), list):
                problems.append(f"data[{a}]: paragraph needs 'context' and 'qas'")
                continue
            if forbidden_hits(context):
                problems.append(f"data[{a}]: context contains reserved evaluation content")
            for qa in para["qas"]:
                qid = qa.get("id") if isinstance(qa, dict) else None
                if not isinstance(qid, str) or qid in ids:
                    problems.append(f"data[{a}]: missing or duplicate question id {qid!r}")
                    continue
                ids.add(qid)
                counts["questions"] += 1
                if not isinstance(qa.get("question"), str) or not qa["question"].strip():
                    problems.append(f"{qid}: empty question")
                impossible, answers = qa.get("is_impossible"), qa.get("answers")
                if not isinstance(impossible, bool) or not isinstance(answers, list):
                    problems.append(f"{qid}: needs bool 'is_impossible' and list 'answers'")
                    continue
                if impossible:
                    counts["unanswerable"] += 1
                    if answers:
                        problems.append(f"{qid}: impossible question has answers")
                    continue
                counts["answerable"] += 1
                if not answers:
                    problems.append(f"{qid}: answerable question without answers")
                for ans in answers:
                    text, start = ans.get("text"), ans.get("answer_start")
                    if not isinstance(text, str) or not text or not isinstance(start, int) or start < 0:
                        problems.append(f"{qid}: bad answer {ans!r}")
                    elif context[start:start + len(text)] != text:
                        problems.append(f"{qid}: offset {start} gives {context[start:start + len(text)]!r}, "
                                        f"expected {text!r}")
    return problems, counts


def cmd_check(args):
    status = 0
    for name in args.files:
        problems, counts = verify_file(Path(name))
        for p in problems[:50]:
            print(f"{name}: {p}", file=sys.stderr)
        if problems:
            print(f"{name}: FAILED with {len(problems)} problem(s)")
            status = 1
        else:
            print(f"{name}: OK - {counts['articles']} passages, {counts['questions']} questions "
                  f"({counts['answerable']} answerable, {counts['unanswerable']} unanswerable)")
    return status


# =====================================================================================
# Generate (internal: inspect generated data)
# =====================================================================================


def cmd_generate(args):
    passages, counters = generate_passages(args.seed, args.count)
    if args.sample:
        rng = random.Random(args.sample_seed)
        for p in rng.sample(passages, min(args.sample, len(passages))):
            print(f"=== {p['id']}\n{p['context']}")
            for qa in p["qas"]:
                print(f"   Q: {qa['question']}\n      -> {qa['answer']!r}")
        print(json.dumps(dict(counters), sort_keys=True), file=sys.stderr)
        return 0
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")
    for p in passages:
        record = {k: p[k] for k in ("id", "title", "context", "qas")}
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    if out is not sys.stdout:
        out.close()
    print(json.dumps(dict(counters), sort_keys=True), file=sys.stderr)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build train/test SQuAD 2.0 files")
    b.add_argument("--seed", type=int, default=DEFAULT_SEED)
    b.add_argument("--out", default=str(DEFAULT_OUT))
    b.add_argument("--handwritten", default=str(DEFAULT_HANDWRITTEN))
    b.add_argument("--count", type=int, default=DEFAULT_COUNT, help="generated passages")
    c = sub.add_parser("check", help="verify every answer offset of SQuAD .json.gz files")
    c.add_argument("files", nargs="+")
    g = sub.add_parser("generate", help="(internal) print generated passages as JSON lines")
    g.add_argument("--seed", type=int, default=DEFAULT_SEED)
    g.add_argument("--count", type=int, default=DEFAULT_COUNT)
    g.add_argument("--out", default="-")
    g.add_argument("--sample", type=int, default=0, help="pretty-print K random passages instead")
    g.add_argument("--sample-seed", type=int, default=0)
    args = parser.parse_args(argv)
    return {"build": cmd_build, "check": cmd_check, "generate": cmd_generate}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
