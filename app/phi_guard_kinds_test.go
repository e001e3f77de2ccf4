package app

import (
	"strings"
	"testing"

	"rounds/app/phi"
)

func TestEveryIdentifierTypeHasALabel(t *testing.T) {
	for _, typ := range phi.Types {
		if label := phiTypeLabel(typ); label == "Identifier" || label == "" {
			t.Errorf("identifier type %q has no label for authors", typ)
		}
	}
}

// A patient's name blocks a post; a hospital, a city and a clinician's
// name tied to the case only ask for confirmation.
func TestPHIGuardBlocksNamesAndAsksAboutPlaces(t *testing.T) {
	blocked := checkPHI("", phiField{Name: "body", Label: "your post", Text: "A 55-year-old male, John Smith, with chest pain."})
	if blocked == nil || !blocked.Blocking || !strings.Contains(blocked.problem(), "will not post") {
		t.Fatalf("a patient's name should block: %+v", blocked)
	}
	if n := blocked.Notes[0]; n.TypeLabel != "Name" || !n.Blocking {
		t.Errorf("note %+v, want a blocking Name", n)
	}
	asked := checkPHI("", phiField{Name: "body", Label: "your post",
		Text: "Seen by Dr. Maria Lopez at Riverside Medical Center, then transferred from Dayton, OH."})
	if asked == nil || asked.Blocking {
		t.Fatalf("a clinician, a hospital and a city should ask, not block: %+v", asked)
	}
	labels := map[string]bool{}
	for _, n := range asked.Notes {
		labels[n.TypeLabel] = true
	}
	for _, want := range []string{"Clinician's name", "Hospital or clinic", "City or town"} {
		if !labels[want] {
			t.Errorf("no %q among %+v", want, asked.Notes)
		}
	}
	if confirmed := checkPHI(asked.Fingerprint, phiField{Name: "body", Label: "your post",
		Text: "Seen by Dr. Maria Lopez at Riverside Medical Center, then transferred from Dayton, OH."}); !confirmed.Confirmed || confirmed.problem() != "" {
		t.Errorf("the author's confirmation should let the post through: %+v", confirmed)
	}
}
