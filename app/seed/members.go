package seed

import (
	"strconv"
	"strings"
)

// nameGroup holds given names and family names that belong together, so a
// generated clinician is "Chidi Okonkwo" or "Mei Lin Zhang" rather than an
// implausible mix.
type nameGroup struct {
	given  []string
	family []string
}

var nameGroups = []nameGroup{
	{ // West African
		given:  []string{"Amara", "Chidi", "Ngozi", "Kwame", "Ama", "Oluwaseun", "Adaeze", "Kofi", "Folake", "Emeka", "Yaa", "Tunde"},
		family: []string{"Okafor", "Okonkwo", "Mensah", "Adeyemi", "Boateng", "Eze", "Owusu", "Nwosu", "Asante", "Balogun", "Obi", "Adebayo"},
	},
	{ // South Asian
		given:  []string{"Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Sanjay", "Divya", "Rahul", "Aisha", "Imran"},
		family: []string{"Nair", "Patel", "Sharma", "Iyer", "Reddy", "Gupta", "Menon", "Rao", "Khan", "Chaudhry", "Desai", "Krishnan"},
	},
	{ // Chinese
		given:  []string{"Mei Lin", "Wei", "Jing", "Hao", "Xiaoling", "Jun", "Yan", "Li Na", "Chen", "Ming", "Qian", "Tao"},
		family: []string{"Zhang", "Wang", "Li", "Chen", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Lin", "Guo"},
	},
	{ // Japanese
		given:  []string{"Hiroshi", "Yuki", "Kenji", "Aiko", "Takeshi", "Haruka", "Daisuke", "Emi", "Sho", "Naoko"},
		family: []string{"Tanaka", "Suzuki", "Sato", "Watanabe", "Nakamura", "Kobayashi", "Yamamoto", "Ito", "Mori", "Shimizu"},
	},
	{ // Korean
		given:  []string{"Ji-woo", "Min-jun", "Seo-yeon", "Hyun", "Eun-ji", "Jae", "Soo-ah", "Dong-hyun"},
		family: []string{"Kim", "Park", "Lee", "Choi", "Jung", "Kang", "Yoon", "Han"},
	},
	{ // Arabic
		given:  []string{"Leila", "Omar", "Fatima", "Yousef", "Nadia", "Karim", "Rania", "Samir", "Huda", "Tariq"},
		family: []string{"Haddad", "Al-Sayed", "Khalil", "Mansour", "Nasser", "Saleh", "Hamdan", "Aziz", "Farouk", "Rahman"},
	},
	{ // Hispanic
		given:  []string{"Sofía", "Daniel", "Tomás", "Lucía", "Javier", "Camila", "Mateo", "Valentina", "Diego", "Gabriela", "José", "Ana"},
		family: []string{"Reyes", "Márquez", "Álvarez", "García", "Hernández", "Morales", "Ortiz", "Ramírez", "Castillo", "Vargas", "Flores", "Rojas"},
	},
	{ // German and Dutch
		given:  []string{"Jonas", "Lena", "Felix", "Anna", "Lukas", "Sophie", "Maximilian", "Hannah", "Pieter", "Anouk"},
		family: []string{"Weber", "Müller", "Schmidt", "Fischer", "Becker", "Hoffmann", "Jansen", "de Vries", "Bakker", "Vogel"},
	},
	{ // English, Irish and Scottish
		given:  []string{"Grace", "Samuel", "Emily", "James", "Charlotte", "Thomas", "Siobhan", "Liam", "Eilidh", "Callum", "Rachel", "David"},
		family: []string{"O'Brien", "Thompson", "Walsh", "Murphy", "Campbell", "Hughes", "Fraser", "Kelly", "Bennett", "Clarke", "Wright", "Doyle"},
	},
	{ // Slavic
		given:  []string{"Elena", "Dmitri", "Katarzyna", "Piotr", "Natalia", "Andrei", "Olga", "Marek", "Irina", "Tomasz"},
		family: []string{"Petrova", "Ivanov", "Kowalski", "Nowak", "Volkova", "Novak", "Horvat", "Popescu", "Sokolov", "Wiśniewski"},
	},
	{ // Jewish and Israeli
		given:  []string{"Samuel", "Miriam", "Noam", "Tamar", "Eli", "Yael", "Avi", "Rivka"},
		family: []string{"Cohen", "Levi", "Friedman", "Katz", "Mizrahi", "Shapiro", "Goldberg", "Ben-David"},
	},
	{ // Vietnamese and Filipino
		given:  []string{"Linh", "Minh", "Thao", "Quang", "Maria", "Jose", "Angelica", "Paolo", "Trang", "Rafael"},
		family: []string{"Nguyen", "Tran", "Pham", "Le", "Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Vo"},
	},
	{ // East African
		given:  []string{"Abebe", "Selam", "Hana", "Dawit", "Wanjiru", "Otieno", "Amina", "Baraka"},
		family: []string{"Tesfaye", "Bekele", "Haile", "Girma", "Mwangi", "Odhiambo", "Kamau", "Njoroge"},
	},
	{ // Turkish and Persian
		given:  []string{"Elif", "Emre", "Zeynep", "Mehmet", "Shirin", "Dariush", "Parisa", "Reza"},
		family: []string{"Yılmaz", "Demir", "Kaya", "Şahin", "Hosseini", "Karimi", "Rostami", "Ahmadi"},
	},
	{ // Nordic
		given:  []string{"Erik", "Ingrid", "Mikkel", "Astrid", "Johan", "Sigrid", "Lars", "Freja"},
		family: []string{"Larsen", "Johansson", "Nilsen", "Lindqvist", "Andersen", "Berg", "Halvorsen", "Sørensen"},
	},
}

// specialty is a specialty a profession practises, with the credential
// that goes after the name.
type specialty struct {
	name       string
	credential string
}

type profession struct {
	name        string
	share       float64 // relative share of members
	specialties []specialty
}

var professions = []profession{
	{name: "physician", share: 40, specialties: []specialty{
		{"Emergency Medicine", ""}, {"Internal Medicine", ""}, {"Hospital Medicine", ""}, {"Cardiology", ""},
		{"Critical Care Medicine", ""}, {"Pediatrics", ""}, {"Family Medicine", ""}, {"Infectious Diseases", ""},
		{"Anesthesiology", ""}, {"Neurology", ""}, {"Nephrology", ""}, {"Pulmonology", ""},
		{"Pediatric Emergency Medicine", ""}, {"Neonatology", ""}, {"Oncology", ""}, {"Geriatrics", ""},
		{"Obstetrics and Gynecology", ""}, {"General Surgery", ""}, {"Psychiatry", ""}, {"Electrophysiology", ""},
	}},
	{name: "nurse", share: 28, specialties: []specialty{
		{"Critical Care Nursing", "RN"}, {"Emergency Nursing", "RN"}, {"Medical-Surgical Nursing", "RN"},
		{"Pediatric Nursing", "RN"}, {"Cardiac Nursing", "RN"}, {"Neonatal Intensive Care Nursing", "RN"},
		{"Oncology Nursing", "RN"}, {"Labor and Delivery Nursing", "RN"}, {"Perioperative Nursing", "RN"},
		{"Critical Care Nursing", "RN, CCRN"}, {"Emergency Nursing", "RN, CEN"},
	}},
	{name: "pharmacist", share: 13, specialties: []specialty{
		{"Clinical Pharmacy", "PharmD"}, {"Critical Care Pharmacy", "PharmD"}, {"Infectious Diseases Pharmacy", "PharmD"},
		{"Emergency Medicine Pharmacy", "PharmD"}, {"Pediatric Pharmacy", "PharmD"}, {"Oncology Pharmacy", "PharmD"},
		{"Ambulatory Care Pharmacy", "PharmD"}, {"Clinical Pharmacy", "PharmD, BCPS"},
	}},
	{name: "nurse_practitioner", share: 9, specialties: []specialty{
		{"Family Practice", "FNP-C"}, {"Acute Care", "ACNP-BC"}, {"Heart Failure", "NP"},
		{"Neonatal", "NNP-BC"}, {"Psychiatric-Mental Health", "PMHNP-BC"}, {"Pediatric Primary Care", "CPNP"},
	}},
	{name: "physician_assistant", share: 6, specialties: []specialty{
		{"Emergency Medicine", "PA-C"}, {"Hospital Medicine", "PA-C"}, {"Orthopedics", "PA-C"},
		{"Cardiothoracic Surgery", "PA-C"}, {"Critical Care", "PA-C"},
	}},
	{name: "other", share: 4, specialties: []specialty{
		{"Respiratory Therapy", "RRT"}, {"Clinical Nutrition", "RD"}, {"Paramedicine", "NRP"},
		{"Physical Therapy", "DPT"}, {"Perfusion", "CCP"},
	}},
}

var professionTable = func() aliasTable {
	w := make([]float64, len(professions))
	for i, p := range professions {
		w[i] = p.share
	}
	return newAliasTable(w)
}()

// Members returns n members with unique usernames. The same seed gives the
// same members, and Members(k) is a prefix of Members(n) for k <= n, so a
// benchmark can grow its member set without renaming anyone.
func (g *Generator) Members(n int) []Member {
	g.src.Seed(mix64(g.seed^membersStream), mix64(membersStream))
	members := make([]Member, 0, max(n, 0))
	taken := make(map[string]bool, max(n, 0))
	suffix := make(map[string]int)
	for range n {
		group := &nameGroups[g.intn(len(nameGroups))]
		given := group.given[g.intn(len(group.given))]
		family := group.family[g.intn(len(group.family))]
		prof := &professions[professionTable.pick(g.next())]
		spec := prof.specialties[g.intn(len(prof.specialties))]

		display := given + " " + family + ", " + spec.credential
		if prof.name == "physician" {
			display = "Dr. " + given + " " + family
		}
		base := g.username(given, family, spec.credential, prof.name == "physician")
		name := base
		for taken[name] {
			suffix[base]++
			num := strconv.Itoa(suffix[base] + 1)
			name = base[:min(len(base), 30-len(num))] + num
		}
		taken[name] = true
		members = append(members, Member{Username: name, DisplayName: display, Profession: prof.name, Specialty: spec.name})
	}
	return members
}

// username builds one of the handles people actually pick: amaraokafor,
// amara_okafor, aokafor, dr_okafor, okafor_rn.
func (g *Generator) username(given, family, credential string, physician bool) string {
	first, last := usernamePart(given), usernamePart(family)
	var name string
	switch g.intn(6) {
	case 0:
		name = first + last
	case 1:
		name = first + "_" + last
	case 2:
		name = first[:1] + last
	case 3:
		name = first + last[:1]
	case 4:
		if physician {
			name = "dr" + last
		} else {
			cred, _, _ := strings.Cut(credential, ",")
			name = last + "_" + usernamePart(cred)
		}
	default:
		name = last + "_" + first[:1]
	}
	for len(name) < 3 {
		name += "x"
	}
	return name[:min(len(name), 30)]
}

// usernamePart folds a name to [a-z]: accents are dropped, spaces, hyphens
// and apostrophes removed.
func usernamePart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case strings.ContainsRune("áàâäã", r):
			b.WriteByte('a')
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
		case strings.ContainsRune("íìîïı", r):
			b.WriteByte('i')
		case strings.ContainsRune("óòôöõø", r):
			b.WriteByte('o')
		case strings.ContainsRune("úùûü", r):
			b.WriteByte('u')
		case r == 'ñ' || r == 'ń':
			b.WriteByte('n')
		case r == 'ç' || r == 'ć':
			b.WriteByte('c')
		case r == 'ś' || r == 'ş':
			b.WriteByte('s')
		case r == 'ł':
			b.WriteByte('l')
		case r == 'å':
			b.WriteByte('a')
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}
