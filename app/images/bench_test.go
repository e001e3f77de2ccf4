package images

import (
	"bytes"
	"context"
	"image"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"
)

// photo12MP is a 4000 × 3000 JPEG with a face in it: the astronaut's
// portrait enlarged, with a photograph's grain, at the quality a phone
// writes (about the size of a phone's 12 MP photo).
func photo12MP(b testing.TB) []byte {
	src, _, err := image.Decode(bytes.NewReader(readTestdata(b, "astronaut.jpg")))
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	xdraw.CatmullRom.Scale(img, image.Rect(500, 0, 3500, 3000), src, src.Bounds(), xdraw.Src, nil)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		n := int(r.IntN(13)) - 6
		for c := 0; c < 3; c++ {
			img.Pix[i+c] = uint8(min(255, max(0, int(img.Pix[i+c])+n)))
		}
		img.Pix[i+3] = 255
	}
	return encodeJPEG(b, img)
}

// BenchmarkProcess12MP processes one 12 MP photo: decode, orientation,
// sizes, faces found and blurred, three sizes encoded. Text is not read
// (Tesseract runs in its own process, in parallel, and is measured apart).
//
//	go test -run '^$' -bench 'Process12MP$' -benchtime 10x ./app/images/
func BenchmarkProcess12MP(b *testing.B) {
	data := photo12MP(b)
	p := processor(b, Options{})
	b.Logf("input: %.1f MB JPEG, 4000 × 3000", float64(len(data))/1e6)
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		out, err := p.Process(context.Background(), bytes.NewReader(data), Source{Name: "phone.jpg"})
		if err != nil {
			b.Fatal(err)
		}
		if len(out.Faces) == 0 {
			b.Fatal("no face found in the benchmark photo")
		}
		n++
	}
	// CPU time is what the work costs; wall time is that plus the wait
	// for a core on a shared machine.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(n), "cpu-s/op")
	b.ReportMetric(loadAverage(), "load1")
}

// BenchmarkProcess12MPx4 processes four 12 MP photos at once, as four
// members uploading together, and reports the peak of the heap in use
// while they run (sampled every 2 ms) and the process's peak RSS. With a
// memory budget of 256 MiB the uploads queue for it, and the peak stays
// near the budget however many arrive.
//
//	go test -run '^$' -bench 'Process12MPx4' -benchtime 3x ./app/images/
func BenchmarkProcess12MPx4(b *testing.B) {
	data := photo12MP(b)
	for _, budget := range []int64{DefaultMemoryBudget, 256 << 20} {
		b.Run("budget="+strconv.FormatInt(budget>>20, 10)+"MiB", func(b *testing.B) {
			p := processor(b, Options{MemoryBudget: budget})
			runtime.GC()
			stop := make(chan struct{})
			var peak, peakLive atomic.Uint64
			sampled := make(chan struct{})
			go func() {
				defer close(sampled)
				s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
				t := time.NewTicker(2 * time.Millisecond)
				defer t.Stop()
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						metrics.Read(s)
						if v := s[0].Value.Uint64(); v > peak.Load() {
							peak.Store(v)
						}
						if v := s[1].Value.Uint64(); v > peakLive.Load() {
							peakLive.Store(v)
						}
					}
				}
			}()
			b.ResetTimer()
			for b.Loop() {
				var wg sync.WaitGroup
				for i := 0; i < 4; i++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := p.Process(context.Background(), bytes.NewReader(data), Source{Name: "phone.jpg"}); err != nil {
							b.Error(err)
						}
					}()
				}
				wg.Wait()
			}
			b.StopTimer()
			close(stop)
			<-sampled
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-MiB")
			b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
			b.ReportMetric(loadAverage(), "load1")
		})
	}
}

// BenchmarkReadText reads the text of a film with Tesseract, which runs
// beside the rest of Process.
func BenchmarkReadText(b *testing.B) {
	ocr := FindOCR("")
	if ocr == nil {
		b.Skip("tesseract is not installed")
	}
	img, _ := film(b, 2000, 1500, "MRN 12345678", "John Smith", "DOB 03/04/1956")
	b.ResetTimer()
	for b.Loop() {
		if check := checkText(context.Background(), ocr, img); check.Status != TextChecked {
			b.Fatal(check.Err)
		}
	}
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is the process's high-water resident set (VmHWM), in bytes.
func peakRSS() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb * 1024
		}
	}
	return 0
}

// loadAverage is the machine's one-minute load, reported beside the
// timings since the machine is shared.
func loadAverage() float64 {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(raw))[0], 64)
	return f
}
