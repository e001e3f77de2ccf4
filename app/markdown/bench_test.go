package markdown

import "testing"

// clinicalPost is a typical ~1 KB post: prose, a list, a table, a link and
// a footnote.
const clinicalPost = `## 68M with new AF and CKD 3b: anticoagulation?

Seen in clinic today. New **atrial fibrillation** on ECG, rate 96, haemodynamically
stable. CHA2DS2-VASc is 4 (age, hypertension, diabetes, vascular disease); ORBIT is
moderate. eGFR 38 and stable over the past year.

Current medication:

- Ramipril 5 mg OD
- Metformin 500 mg BD
- Atorvastatin 40 mg ON
- Aspirin 75 mg OD (started by GP after a TIA in 2019)

| DOAC | Usual dose | Dose at CrCl 30–50 |
|:-----|:----------:|-------------------:|
| Apixaban | 5 mg BD | 5 mg BD* |
| Edoxaban | 60 mg OD | 30 mg OD |
| Rivaroxaban | 20 mg OD | 15 mg OD |

I am leaning towards apixaban and stopping the aspirin, per the
[NICE NG196 guidance](https://www.nice.org.uk/guidance/ng196), but would value views
on whether anyone still uses warfarin at this eGFR.[^1] Happy to share the full
letter by email if useful.

[^1]: *Reduce to 2.5 mg BD only if two of: age ≥80, weight ≤60 kg, creatinine ≥133 µmol/L.
`

func BenchmarkRender(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(clinicalPost)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(clinicalPost); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderParallel(b *testing.B) {
	r := New()
	b.SetBytes(int64(len(clinicalPost)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Render(clinicalPost); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
