package seed

// demoPreviews are the cards of the links in the demo's posts, as Rounds
// fetched them: a page's Open Graph card, or a citation from PubMed or
// Crossref. They are the published bibliographic facts of each article
// (title, journal, year, authors, identifiers); see README.md here.
func demoPreviews() []Preview {
	return []Preview{
		{URL: "https://academic.oup.com/eurheartj/article/43/40/3997/6675633",
			Title:       "2022 ESC Guidelines for the management of patients with ventricular arrhythmias and the prevention of sudden cardiac death",
			Description: "European Heart Journal, Volume 43, Issue 40, Pages 3997–4126 (2022).",
			SiteName:    "OUP Academic"},
		{URL: "https://www.nejm.org/doi/full/10.1056/NEJMoa2206286",
			Title:       "Dapagliflozin in Heart Failure with Mildly Reduced or Preserved Ejection Fraction",
			Description: "Solomon SD, McMurray JJV, Claggett B, et al. N Engl J Med 2022;387:1089-1098.",
			SiteName:    "New England Journal of Medicine"},
		{URL: "https://pubmed.ncbi.nlm.nih.gov/18191684/",
			Title: "Efficacy and safety of a paired sedation and ventilator weaning protocol for mechanically ventilated patients " +
				"in intensive care (Awakening and Breathing Controlled trial): a randomised controlled trial.",
			Journal: "Lancet (London, England)", Year: 2008,
			Authors: []string{"Girard TD", "Kress JP", "Fuchs BD", "Thomason JW", "Schweickert WD"},
			PMID:    "18191684", DOI: "10.1016/s0140-6736(08)60105-1"},
		{URL: "https://jamanetwork.com/journals/jama/fullarticle/2814297",
			Title:       "International Consensus Criteria for Pediatric Sepsis and Septic Shock",
			Description: "Schlapbach LJ, Watson RS, Sorce LR, et al. JAMA. 2024;331(8):665-674.",
			SiteName:    "JAMA Network"},
		{URL: "https://academic.oup.com/ajhp/article/77/11/835/5810200",
			Title: "Therapeutic monitoring of vancomycin for serious methicillin-resistant Staphylococcus aureus infections: " +
				"A revised consensus guideline and review by the American Society of Health-System Pharmacists, " +
				"the Infectious Diseases Society of America, the Pediatric Infectious Diseases Society, and the Society of Infectious Diseases Pharmacists",
			Description: "American Journal of Health-System Pharmacy, Volume 77, Issue 11, Pages 835–864 (2020).",
			SiteName:    "OUP Academic"},
		{URL: "https://publications.aap.org/pediatrics/article/148/2/e2021052228/179783",
			Title:       "Evaluation and Management of Well-Appearing Febrile Infants 8 to 60 Days Old",
			Description: "Pantell RH, Roberts KB, Adams WG, et al. Pediatrics. 2021;148(2):e2021052228.",
			SiteName:    "American Academy of Pediatrics"},
		{URL: "PMID: 20179283",
			Title:   "Lactate clearance vs central venous oxygen saturation as goals of early sepsis therapy: a randomized clinical trial.",
			Journal: "JAMA", Year: 2010,
			Authors: []string{"Jones AE", "Shapiro NI", "Trzeciak S", "Arnold RC", "Claremont HA", "Kline JA"},
			PMID:    "20179283", DOI: "10.1001/jama.2010.158"},
		{URL: "doi:10.1001/jama.2019.0071",
			Title: "Effect of a Resuscitation Strategy Targeting Peripheral Perfusion Status vs Serum Lactate Levels on 28-Day Mortality " +
				"Among Patients With Septic Shock: The ANDROMEDA-SHOCK Randomized Clinical Trial",
			SiteName: "American Medical Association (AMA)", Journal: "JAMA", Year: 2019,
			Authors: []string{"Glenn Hernández", "Gustavo A. Ospina-Tascón", "Lucas Petri Damiani"},
			DOI:     "10.1001/jama.2019.0071"},
	}
}
