package app

import "strings"

// userAgentMarks names browsers and systems by the marks their User-Agent
// strings carry, most specific first: Edge and Opera also say Chrome and
// Safari, Chrome also says Safari, and iPhones and Android phones also say
// Mac OS X and Linux.
var (
	browserMarks = []struct{ mark, name string }{
		{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"},
		{"OPR/", "Opera"}, {"Opera", "Opera"},
		{"SamsungBrowser/", "Samsung Internet"},
		{"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
		{"HeadlessChrome/", "Headless Chrome"},
		{"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
		{"Trident/", "Internet Explorer"}, {"MSIE ", "Internet Explorer"},
		{"Version/", "Safari"},
	}
	systemMarks = []struct{ mark, name string }{
		{"Windows", "Windows"},
		{"iPhone", "iPhone"}, {"iPad", "iPad"},
		{"Android", "Android"},
		{"CrOS", "ChromeOS"},
		{"Macintosh", "macOS"}, {"Mac OS X", "macOS"},
		{"Linux", "Linux"},
	}
)

// browserOn names the browser and system of a User-Agent string as a
// member knows them, such as "Firefox on macOS", so they can tell their
// sessions apart; "Unknown browser" when it names neither.
func browserOn(userAgent string) string {
	browser, system := "", ""
	for _, b := range browserMarks {
		if strings.Contains(userAgent, b.mark) {
			browser = b.name
			break
		}
	}
	// Safari says only Version/ and Safari/; "Version/" alone, as in
	// Android's old stock browser, is not enough.
	if browser == "Safari" && !strings.Contains(userAgent, "Safari/") {
		browser = ""
	}
	for _, s := range systemMarks {
		if strings.Contains(userAgent, s.mark) {
			system = s.name
			break
		}
	}
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "A browser on " + system
	}
	return "Unknown browser"
}
