package app

// BodyLimit is bodyLimit for the tests outside the package: the most a
// request's body may hold before the server refuses it.
var BodyLimit = bodyLimit

// While the tests run, every topic page written in Go is compared with
// what the templates write (topicFrameChecked).
func init() { topicFrameChecked.Store(true) }

// TopicFramesCompared is how many topic pages were compared so far.
func TopicFramesCompared() int64 { return topicFramesCompared.Load() }

// CheckTopicFrames turns the comparison on or off, for the benchmarks to
// measure the page alone.
func CheckTopicFrames(on bool) { topicFrameChecked.Store(on) }
