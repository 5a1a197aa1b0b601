#!/usr/bin/python3
"""Reference throughput of python3-rq (the reference server's engine) for `npm run bench -- engine`.

    /usr/bin/python3 scripts/bench/rq_ref.py --port 6390 --jobs 2000 --workers 1

Enqueues N trivial jobs on a private Redis, drains them with N forking `rq worker --burst`
processes, and prints JSON {jobs, workers, seconds, jobs_per_s} (time from the first job start to
the last job end, as NetPulse's figure is measured).
"""
import argparse, json, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from redis import Redis
from rq import Queue
from rq.job import Job
import rq_noop

p = argparse.ArgumentParser()
p.add_argument('--port', type=int, required=True)
p.add_argument('--jobs', type=int, default=2000)
p.add_argument('--workers', type=int, default=1)
a = p.parse_args()
conn = Redis(host='127.0.0.1', port=a.port)
conn.flushdb()
q = Queue('bench', connection=conn)
with conn.pipeline() as pipe:
    jobs = q.enqueue_many([Queue.prepare_data(rq_noop.noop, args=(i,)) for i in range(a.jobs)], pipeline=pipe)
    pipe.execute()
ids = [j.id for j in jobs]
cmd = ['/usr/bin/rq', 'worker', '--burst', '--url', f'redis://127.0.0.1:{a.port}', '--path', HERE, '--logging_level', 'WARNING', 'bench']
t0 = time.perf_counter()
procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(a.workers)]
for pr in procs:
    pr.wait(timeout=900)
wall = time.perf_counter() - t0
fetched = [j for j in Job.fetch_many(ids, connection=conn) if j]
starts = [j.started_at for j in fetched if j.started_at]
ends = [j.ended_at for j in fetched if j.ended_at]
span = (max(ends) - min(starts)).total_seconds() if starts and ends else wall
print(json.dumps({'jobs': len(ends), 'workers': a.workers, 'seconds': span, 'wall_seconds': wall, 'jobs_per_s': len(ends) / span if span else 0}))
