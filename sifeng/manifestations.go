package sifeng

// Manifestation is one concrete form a style takes, as the seeds' campaign documents list it;
// the democratic evaluation form (民主评议表) offers them as checkboxes under each style.
type Manifestation struct {
	Code  string // stable ASCII, "<style>-<word>": stored with answers, never renamed
	Style string // the style's code
	Label string
}

// Manifestations lists every manifestation, grouped by style in the order of Styles. Codes are
// stored with answers: add new ones freely, but never rename or reuse one.
var Manifestations = []Manifestation{
	{"formalism-unsolid", "formalism", "作风不实、不求实效"},
	{"formalism-falsify", "formalism", "弄虚作假"},
	{"formalism-meetings", "formalism", "文山会海（会议、文件、简报过多）"},
	{"formalism-perfunctory", "formalism", "走过场、流于形式"},
	{"formalism-goodnews", "formalism", "报喜不报忧、欺上瞒下"},
	{"formalism-vanity", "formalism", "“形象工程”“政绩工程”"},
	{"formalism-festivities", "formalism", "节庆、评比表彰和达标活动过多"},

	{"bureaucratism-hard", "bureaucratism", "门难进、脸难看、事难办"},
	{"bureaucratism-buckpassing", "bureaucratism", "推诿扯皮、久拖不办"},
	{"bureaucratism-slow", "bureaucratism", "办事效率低"},
	{"bureaucratism-aloof", "bureaucratism", "脱离群众、高高在上"},
	{"bureaucratism-cold", "bureaucratism", "对患者冷漠、态度生冷硬"},
	{"bureaucratism-undemocratic", "bureaucratism", "重大决策不民主、不科学"},
	{"bureaucratism-disobey", "bureaucratism", "有令不行、有禁不止"},
	{"bureaucratism-arbitrary", "bureaucratism", "乱收费、乱罚款、乱摊派"},

	{"hedonism-lazy", "hedonism", "庸懒散拖"},
	{"hedonism-absent", "hedonism", "迟到早退、上班干私事"},
	{"hedonism-drinking", "hedonism", "工作日饮酒"},
	{"hedonism-complacent", "hedonism", "贪图安逸、不思进取"},
	{"hedonism-privilege", "hedonism", "讲究排场、搞特权"},
	{"hedonism-housing", "hedonism", "领导干部多占住房、待遇超标"},

	{"extravagance-banquets", "extravagance", "公款吃喝、公款送礼"},
	{"extravagance-receptions", "extravagance", "迎来送往、公务接待超标"},
	{"extravagance-threepublic", "extravagance", "“三公”经费开支过大"},
	{"extravagance-cars", "extravagance", "公车私用、超标配车"},
	{"extravagance-slushfund", "extravagance", "私设“小金库”"},
	{"extravagance-waste", "extravagance", "铺张浪费、办公经费浪费"},
}

// ManifestationsOf returns the manifestations of one style, in display order; none for an
// unknown style.
func ManifestationsOf(style string) []Manifestation {
	var out []Manifestation
	for _, m := range Manifestations {
		if m.Style == style {
			out = append(out, m)
		}
	}
	return out
}

// ValidManifestation reports whether code names a manifestation.
func ValidManifestation(code string) bool {
	_, ok := findManifestation(code)
	return ok
}

// ManifestationLabel returns the Chinese words of a manifestation code, or the code itself when
// unknown.
func ManifestationLabel(code string) string {
	if m, ok := findManifestation(code); ok {
		return m.Label
	}
	return code
}

// StyleOf returns the style code a manifestation code belongs to, or "" when unknown.
func StyleOf(code string) string {
	if m, ok := findManifestation(code); ok {
		return m.Style
	}
	return ""
}

func findManifestation(code string) (Manifestation, bool) {
	for _, m := range Manifestations {
		if m.Code == code {
			return m, true
		}
	}
	return Manifestation{}, false
}
