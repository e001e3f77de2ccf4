package ratelimit

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"rounds/app/config"
)

// Redis is a Store shared by every node through a Redis server: one key
// per rule and member or address, holding its theoretical arrival time
// and expiring when that time has passed, so Redis holds only the recent
// traffic.
type Redis struct {
	client *redis.Client
	prefix string
}

// NewRedis connects to the Redis server at rawURL (redis://, rediss:// or
// unix://), keeping keys under "rounds:ratelimit:". It checks the server
// answers, so a wrong address fails at start and not on the first post.
func NewRedis(ctx context.Context, rawURL string) (*Redis, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("rate limit store: %w", err)
	}
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close() // the ping's failure is the one to report
		return nil, fmt.Errorf("rate limit store: reach Redis at %s: %w", opts.Addr, err)
	}
	return &Redis{client: client, prefix: "rounds:ratelimit:"}, nil
}

// Close lets go of the connections.
func (r *Redis) Close() error { return r.client.Close() }

// take runs the cell rate algorithm inside Redis, so two nodes counting
// the same key at once cannot both pass its last allowance. Times are
// whole microseconds, which Lua's numbers hold exactly.
var take = redis.NewScript(`
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local per = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next = tat + interval
local allow_at = next - per
if now < allow_at then
  return {0, allow_at - now}
end
redis.call('SET', KEYS[1], next, 'PX', math.max(1, math.ceil((next - now) / 1000)))
return {1, 0}
`)

// Take implements Store.
func (r *Redis) Take(ctx context.Context, key string, rule config.RateLimit, now time.Time) (bool, time.Duration, error) {
	res, err := take.Run(ctx, r.client, []string{r.prefix + rule.Name + ":" + key},
		now.UnixMicro(), interval(rule).Microseconds(), rule.Per.Microseconds()).Int64Slice()
	if err != nil {
		return false, 0, fmt.Errorf("take %s for %s: %w", rule.Name, key, err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("take %s for %s: unexpected answer %v", rule.Name, key, res)
	}
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}
