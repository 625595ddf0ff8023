#!/usr/bin/env python3
"""Independent facts of Perfetto protobuf traces, for the reader's table test (facts.json).

Walks Trace = repeated TracePacket (field 1) with no protobuf library and no code shared with the C# reader,
following the field numbers of Perfetto's trace_packet.proto, track_descriptor.proto, track_event.proto and
interned_data.proto. Counts TrackEvents by type and by the kind of track they sit on (a track with a thread
descriptor, or any other track), resolves interned names per trusted_packet_sequence_id, and lists the names of
threads and processes that carry events.

Flow links are counted as Perfetto's trace processor makes rows of its flow table (importers/common/flow_tracker.cc,
track_event_parser.cc): a flow id is carried by the slice its TrackEvent makes (a begin, an instant, or an end, which
names the slice it closes), on any described track; events are taken in timestamp order (the trace processor sorts
them); the first slice with an id starts the flow, each later one is linked from the previous; a terminating id links
the same way and ends the flow; a terminating id of a flow not under way links nothing. Timestamps are brought to the
trace clock here with the packets' clock snapshots (sequence-scoped incremental clocks, ids 64 and up).

Extra counter values beside TrackEvents (extra_counter_values, Chrome's per-thread CPU time) are counted and summed per
counter track as the CounterDescriptor says (unit_multiplier, is_incremental: deltas from the last value on the
sequence since its incremental state was last cleared); the last value of the three busiest threads' counters is kept.

Usage: perfetto_facts.py FILE [FILE...] > facts.json   (a .gz file is decompressed first)
"""
import collections
import gzip
import json
import os
import sys


def varint(b, i):
    shift = val = 0
    while True:
        c = b[i]
        i += 1
        val |= (c & 0x7F) << shift
        if c < 0x80:
            return val, i
        shift += 7


def fields(b, start=0, end=None):
    """Yields (field number, wire type, value) where value is an int or a (start, end) slice for wire type 2."""
    end = len(b) if end is None else end
    i = start
    while i < end:
        key, i = varint(b, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = varint(b, i)
            yield num, wt, v
        elif wt == 1:
            yield num, wt, int.from_bytes(b[i:i + 8], "little")
            i += 8
        elif wt == 2:
            ln, i = varint(b, i)
            yield num, wt, (i, i + ln)
            i += ln
        elif wt == 5:
            yield num, wt, int.from_bytes(b[i:i + 4], "little")
            i += 4
        else:
            raise ValueError(f"wire type {wt} at byte {i}")
    if i != end:
        raise ValueError("field overran its message")


def text(b, span):
    return b[span[0]:span[1]].decode("utf-8", "replace")


def sub(b, span):
    return fields(b, span[0], span[1])


def packed(b, wt, v, width=None):
    if wt != 2:
        return [v]
    out, i = [], v[0]
    while i < v[1]:
        if width:
            out.append(int.from_bytes(b[i:i + width], "little"))
            i += width
        else:
            x, i = varint(b, i)
            out.append(x)
    return out


def facts(path):
    raw = open(path, "rb").read()
    b = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    tracks = {}  # uuid -> dict(pid, tid, thread, name)
    thread_names, process_names = {}, {}
    seqs = collections.defaultdict(lambda: {"names": {}, "default_track": None, "clocks": {}, "default_clock": 0,
                                            "extra_tracks": [], "counters": {}})
    counter_tracks = {}  # uuid -> (parent uuid, unit multiplier, incremental)
    extra_values = 0
    counter_last = {}  # thread (pid, tid) of the counter's parent track -> last value
    primary = 6  # BOOTTIME unless a snapshot names another trace clock
    events = []  # (seq, track uuid or None, type, name, n_annotations, flow ids, terminating ids)
    packets = 0
    for num, wt, span in fields(b):
        if num != 1 or wt != 2:
            continue
        packets += 1
        seq_id, flags, te, interned, defaults, descriptor = 0, 0, None, None, None, None
        ts, clock, snapshot = None, None, None
        for pn, pwt, pv in sub(b, span):
            if pn == 8:
                ts = pv
            elif pn == 58:
                clock = pv
            elif pn == 6 and pwt == 2:
                snapshot = pv
            elif pn == 10:
                seq_id = pv
            elif pn == 13:
                flags = pv
            elif pn == 11:
                te = pv
            elif pn == 12:
                interned = pv
            elif pn == 59:
                defaults = pv
            elif pn == 60:
                descriptor = pv
        seq = seqs[seq_id]
        if flags & 1:
            seq["names"] = {}
            seq["default_track"] = None
            seq["clocks"] = {}
            seq["default_clock"] = 0
            seq["extra_tracks"] = []
            seq["counters"] = {}
        if snapshot:  # ClockSnapshot {clocks = 1: Clock {clock_id = 1, timestamp = 2, is_incremental = 3, unit_multiplier_ns = 4}, primary_trace_clock = 2}
            clocks = []
            for n, w, v in sub(b, snapshot):
                if n == 1 and w == 2:
                    c = {1: 0, 2: 0, 3: 0, 4: 1}
                    c.update((k, v2) for k, _, v2 in sub(b, v))
                    clocks.append(c)
                elif n == 2 and v:
                    primary = v
            base = [c[2] for c in clocks if c[1] == primary]
            for c in clocks:
                if base and c[1] >= 64:
                    seq["clocks"][c[1]] = {"at": c[2], "now": c[2], "trace": base[0], "incremental": bool(c[3]), "ns": c[4]}
        if interned:
            for n, w, v in sub(b, interned):
                if n == 2 and w == 2:  # event_names: EventName {iid = 1, name = 2}
                    e = dict((k, v2) for k, _, v2 in sub(b, v))
                    if 2 in e:
                        seq["names"][e.get(1, 0)] = text(b, e[2])
        if defaults:
            for n, w, v in sub(b, defaults):
                if n == 58:  # TracePacketDefaults {timestamp_clock_id = 58}
                    seq["default_clock"] = v
                if n == 11 and w == 2:  # TrackEventDefaults {track_uuid = 11, extra_counter_track_uuids = 31}
                    for k, kw, v2 in sub(b, v):
                        if k == 11:
                            seq["default_track"] = v2
                        elif k == 31:
                            seq["extra_tracks"] = packed(b, kw, v2)
        if descriptor:
            t = {"pid": None, "tid": None, "thread": False}
            uuid = parent = 0
            counter = None
            for n, w, v in sub(b, descriptor):
                if n == 1:
                    uuid = v
                elif n == 5:
                    parent = v
                elif n == 8 and w == 2:  # CounterDescriptor {unit_multiplier = 4, is_incremental = 5}
                    c = dict((k, v2) for k, _, v2 in sub(b, v))
                    counter = (c.get(4, 1) or 1, bool(c.get(5, 0)))
                elif n == 3 and w == 2:  # ProcessDescriptor {pid = 1, process_name = 6}
                    for k, kw, v2 in sub(b, v):
                        if k == 1:
                            t["pid"] = v2
                        elif k == 6 and kw == 2:
                            t["process_name"] = text(b, v2)
                elif n == 4 and w == 2:  # ThreadDescriptor {pid = 1, tid = 2, thread_name = 5}
                    t["thread"] = True
                    for k, kw, v2 in sub(b, v):
                        if k == 1:
                            t["pid"] = v2
                        elif k == 2:
                            t["tid"] = v2
                        elif k == 5 and kw == 2:
                            t["thread_name"] = text(b, v2)
            tracks[uuid] = t
            if counter:
                counter_tracks[uuid] = (parent,) + counter
            if t.get("thread_name") is not None:
                thread_names[(t["pid"], t["tid"])] = t["thread_name"]  # the last description wins
            if t.get("process_name") is not None:
                process_names[t["pid"]] = t["process_name"]  # the last description wins
        if te:
            time = ts
            c = seq["clocks"].get(clock if clock is not None else seq["default_clock"])
            if ts is not None and c is not None:
                c["now"] = c["now"] + ts if c["incremental"] else ts
                time = c["trace"] + (c["now"] - c["at"]) * c["ns"]
            typ, name, track, ann, flows, term, posted = 0, None, None, 0, [], [], 0
            values, value_tracks = [], None
            for n, w, v in sub(b, te):
                if n == 9:
                    typ = v
                elif n == 10:
                    name = seq["names"].get(v)
                elif n == 23 and w == 2:
                    name = text(b, v)
                elif n == 11:
                    track = v
                elif n == 4:
                    ann += 1
                elif n == 12:  # extra_counter_values (int64)
                    values += [x - (1 << 64) if x >= 1 << 63 else x for x in packed(b, w, v)]
                elif n == 31:  # extra_counter_track_uuids
                    value_tracks = packed(b, w, v)
                elif n == 5 and w == 2:  # TaskExecution {posted_from_iid = 1}: an interned source location
                    posted += sum(1 for k, _, _ in sub(b, v) if k == 1)
                elif n == 47:
                    flows += packed(b, w, v, 8)
                elif n == 36:
                    flows += packed(b, w, v)
                elif n == 48:
                    term += packed(b, w, v, 8)
                elif n == 42:
                    term += packed(b, w, v)
            if track is None:
                track = seq["default_track"]
            for value, counter_uuid in zip(values, value_tracks if value_tracks is not None else seq["extra_tracks"]):
                parent, multiplier, incremental = counter_tracks[counter_uuid]
                value *= multiplier
                if incremental:
                    value += seq["counters"].get(counter_uuid, 0)
                    seq["counters"][counter_uuid] = value
                extra_values += 1
                owner = tracks.get(parent)
                if owner is not None and owner["thread"]:
                    counter_last[(owner["pid"], owner["tid"])] = value
            events.append((track, typ, name, ann, flows, term, time, posted))

    counts = collections.Counter()
    names = collections.Counter()
    threads_with_events = set()
    flow_marks = []  # (time, file order, flow id, terminating, slice)
    track_stacks = collections.defaultdict(list)  # open slices per described track, for ends
    # A slice's arguments are those of its begin and of its end (an end closes the innermost open begin of its track).
    annotated_slices = []
    open_begins = collections.defaultdict(list)
    posted_from = 0
    for order, (track, typ, name, ann, flows, term, time, posted) in enumerate(events):
        t = tracks.get(track)
        if t is not None and typ in (1, 2, 3):
            if typ == 2:
                slice_id = track_stacks[track].pop() if track_stacks[track] else None
            else:
                slice_id = order
                if typ == 1:
                    track_stacks[track].append(order)
            if slice_id is not None:
                flow_marks += [(time, order, f, False, slice_id) for f in flows]
                flow_marks += [(time, order, f, True, slice_id) for f in term]
        on_thread = t is not None and t["thread"]
        kind = "thread" if on_thread else "other"
        counts[f"{kind}_{ {1: 'begin', 2: 'end', 3: 'instant', 4: 'counter'}.get(typ, 'type' + str(typ)) }"] += 1
        if on_thread and typ == 2 and open_begins[track]:
            at = open_begins[track].pop()
            annotated_slices[at] = annotated_slices[at] or ann > 0
        if on_thread and typ in (1, 3):
            threads_with_events.add((t["pid"], t["tid"]))
            names[name or ""] += 1
            annotated_slices.append(ann > 0)
            posted_from += posted > 0
            if typ == 1:
                open_begins[track].append(len(annotated_slices) - 1)
    links = 0
    under_way = {}  # flow id -> the slice that carried it last
    for time, order, f, terminating, slice_id in sorted(flow_marks, key=lambda m: (m[0], m[1])):
        if f in under_way:
            links += 1
        elif terminating:
            continue
        if terminating:
            del under_way[f]
        else:
            under_way[f] = slice_id
    return {
        "packets": packets,
        "track_events": len(events),
        "track_descriptors": len(tracks),
        "events": dict(sorted(counts.items())),
        "thread_slices_and_instants_annotated": sum(annotated_slices),
        "thread_slices_and_instants_with_posted_from": posted_from,
        "flow_links": links,
        "threads_with_events": len(threads_with_events),
        "thread_names": {f"{p}/{t}": thread_names[(p, t)] for p, t in sorted(threads_with_events) if (p, t) in thread_names},
        "process_names": {str(p): n for p, n in sorted(process_names.items())},
        "top_names": [[n, c] for n, c in sorted(names.items(), key=lambda x: (-x[1], x[0]))[:5]],
        "extra_counter_values": extra_values,
        "thread_counter_last_of_busiest": {f"{p}/{t}": v for (p, t), v in sorted(counter_last.items(), key=lambda x: -x[1])[:3]},
    }


if __name__ == "__main__":
    out = {os.path.basename(p): facts(p) for p in sys.argv[1:]}
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    print()
