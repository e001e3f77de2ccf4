package app

import (
	"context"
	netmail "net/mail"

	"github.com/riverqueue/river"

	"rounds/app/imageproxy"
	"rounds/app/links"
	"rounds/app/podcast"
)

// The work a node does off the request path runs as River jobs: every node
// registers the same workers, and River's leader inserts the periodic ones
// once for all nodes.

// register adds the worker of every job kind. The workers keep the store's
// clock.
func (s *Site) register(workers *river.Workers) {
	river.AddWorker(workers, &links.PreviewWorker{Store: s.Store, Client: s.Links, Log: s.Log, Now: s.Store.Now})
	river.AddWorker(workers, &podcast.RefreshWorker{Store: s.Store, Fetcher: s.Fetcher, Log: s.Log, Now: s.Store.Now})
	river.AddWorker(workers, &imageproxy.RewriteWorker{Store: s.Store, Signer: s.Images.Signer, Log: s.Log})
	river.AddWorker(workers, &mentionLinksWorker{Store: s.Store, Log: s.Log})
	river.AddWorker(workers, &PlainTextWorker{Store: s.Store, Markdown: s.Markdown, Log: s.Log})
	river.AddWorker(workers, s.sweeper())
	river.AddWorker(workers, &stagingSweeper{store: s.Store, staging: s.Staging, log: s.Log})
	river.AddWorker(workers, &remindWorker{store: s.Store, log: s.Log})
	s.Digests.Register(workers)
	s.Notify.Register(workers)
}

// periodic lists the scheduled jobs.
func (s *Site) periodic() []*river.PeriodicJob {
	periodic := append([]*river.PeriodicJob{podcast.RefreshJob(), sweepJob(), stagingSweepJob(), remindJob()}, s.Digests.Periodic()...)
	return append(periodic, s.Notify.Periodic()...)
}

// QueueOneTimeJobs queues, at start, the one-time jobs this database still
// needs: pointing the images of posts stored before the image proxy at it,
// and linking the mentions of posts stored before mentions linked, and
// storing the plain text of posts written before posts kept it. A job
// queued already, by this node or another, is not queued twice.
func (s *Site) QueueOneTimeJobs(ctx context.Context) error {
	for _, job := range []river.JobArgs{imageproxy.RewriteArgs{}, mentionLinksArgs{}, PlainTextArgs{}} {
		done, err := s.Store.OneTimeJobDone(ctx, job.Kind())
		if err != nil {
			return err
		}
		if done {
			continue
		}
		if err := s.Jobs.Insert(ctx, job, nil); err != nil {
			return err
		}
	}
	return nil
}

// mailtoOf is the bare address of the site's sender, which Crossref and
// NCBI ask callers to give so they can reach whoever runs the site.
func mailtoOf(from string) string {
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return ""
	}
	return addr.Address
}
