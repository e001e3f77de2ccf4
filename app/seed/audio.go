package seed

import (
	"encoding/binary"
	"math"
	"time"
)

// The demo's episodes are short sound pieces made here, so the demo ships
// no recording and needs no network: a chime, a heartbeat at rest, the
// same heart racing, and a closing chime. WAV (PCM, 16-bit, mono) plays in
// every browser.
const (
	sampleRate = 16000
	// audioPeak is the loudest sample, below full scale.
	audioPeak = 0.8
)

// jingle is the sound piece of one episode.
type jingle struct {
	// root is the chime's lowest note, in Hz; the chime plays root, a
	// major third and a fifth above it, and the closing chime descends.
	root float64
	// rest and racing are the heart rates, in beats a minute, of the
	// heartbeat and of the racing heart.
	rest, racing float64
}

// The parts of every episode, as times from its start. The posts on the
// demo's podcast topic point at them.
const (
	heartStarts  = 4 * time.Second
	racingStarts = 16 * time.Second
	closeStarts  = 20 * time.Second
	episodeEnds  = 24 * time.Second
)

// episodeSamples is the length of every episode, in samples.
const episodeSamples = int(episodeEnds / time.Second * sampleRate)

// wavHeader is the size of the header encodeWAV writes before the samples.
const wavHeader = 44

// wavSize is the size of every episode's WAV file, known without making it.
const wavSize = int64(wavHeader + 2*episodeSamples)

// wav renders the jingle as a WAV file.
func (j jingle) wav() []byte {
	samples := make([]float64, episodeSamples)
	third, fifth := j.root*math.Pow(2, 4.0/12), j.root*math.Pow(2, 7.0/12)
	for i, f := range []float64{j.root, third, fifth} {
		bell(samples, 0.35*float64(i), f)
	}
	beats(samples, heartStarts.Seconds(), racingStarts.Seconds(), j.rest)
	beats(samples, racingStarts.Seconds(), closeStarts.Seconds()-0.3, j.racing)
	for i, f := range []float64{fifth, third, j.root} {
		bell(samples, closeStarts.Seconds()+0.35*float64(i), f)
	}
	return encodeWAV(samples)
}

// bell adds a struck note that rings out over about a second and a half.
func bell(samples []float64, at, freq float64) {
	start, n := int(at*sampleRate), int(1.6*sampleRate)
	for k := 0; k < n && start+k < len(samples); k++ {
		t := float64(k) / sampleRate
		attack := math.Min(1, t/0.005)
		v := math.Sin(2*math.Pi*freq*t) + 0.3*math.Sin(2*math.Pi*2*freq*t) + 0.1*math.Sin(2*math.Pi*3*freq*t)
		samples[start+k] += 0.5 * attack * math.Exp(-3*t) * v
	}
}

// beats adds heart sounds from start to end at rate beats a minute: a
// longer, lower first sound and a shorter, higher second one, closer
// together as the heart races.
func beats(samples []float64, start, end, rate float64) {
	period := 60 / rate
	systole := math.Min(0.32, period*0.4)
	for t := start; t+systole+0.1 < end; t += period {
		thump(samples, t, 0.11, 150)
		thump(samples, t+systole, 0.08, 210)
	}
}

// thump adds one heart sound: a short burst whose pitch falls a little.
func thump(samples []float64, at, length, freq float64) {
	start, n := int(at*sampleRate), int(length*sampleRate)
	phase := 0.0
	for k := 0; k < n && start+k < len(samples); k++ {
		x := float64(k) / float64(n)
		phase += 2 * math.Pi * freq * (1 - 0.3*x) / sampleRate
		samples[start+k] += 0.9 * math.Sin(math.Pi*x) * math.Exp(-2*x) * (math.Sin(phase) + 0.4*math.Sin(2*phase))
	}
}

// encodeWAV scales the samples to audioPeak and writes them as a RIFF
// WAVE file of 16-bit mono PCM.
func encodeWAV(samples []float64) []byte {
	loudest := 0.0
	for _, s := range samples {
		loudest = math.Max(loudest, math.Abs(s))
	}
	scale := 0.0
	if loudest > 0 {
		scale = audioPeak * math.MaxInt16 / loudest
	}
	const header = wavHeader
	data := 2 * len(samples)
	out := make([]byte, header+data)
	copy(out[0:], "RIFF")
	binary.LittleEndian.PutUint32(out[4:], uint32(header-8+data))
	copy(out[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(out[16:], 16) // the fmt chunk's size
	binary.LittleEndian.PutUint16(out[20:], 1)  // PCM
	binary.LittleEndian.PutUint16(out[22:], 1)  // mono
	binary.LittleEndian.PutUint32(out[24:], sampleRate)
	binary.LittleEndian.PutUint32(out[28:], sampleRate*2) // bytes a second
	binary.LittleEndian.PutUint16(out[32:], 2)            // bytes a frame
	binary.LittleEndian.PutUint16(out[34:], 16)           // bits a sample
	copy(out[36:], "data")
	binary.LittleEndian.PutUint32(out[40:], uint32(data))
	for i, s := range samples {
		binary.LittleEndian.PutUint16(out[header+2*i:], uint16(int16(math.Round(s*scale))))
	}
	return out
}
