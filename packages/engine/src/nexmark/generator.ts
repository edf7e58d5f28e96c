// The Nexmark event generator: a port of Beam's NexmarkGenerator and its
// Person/Auction/Bid generators (the model the nexmark/nexmark suite for
// Flink uses). Each event is drawn from its own java.util.Random seeded with
// the event id, so any event can be made alone, in any order, and the stream
// does not depend on batch sizes or on how fast it is generated.
import { double, intBelow, JavaRandom } from './java-random.js';
import {
  AUCTION_ID_LEAD,
  AUCTION_PROPORTION,
  AVG_AUCTION_BYTES,
  AVG_BID_BYTES,
  AVG_PERSON_BYTES,
  EVENTS_FOR_IN_FLIGHT_AUCTIONS,
  FIRST_AUCTION_ID,
  FIRST_CATEGORY_ID,
  FIRST_PERSON_ID,
  HOT_AUCTION_RATIO,
  HOT_BATCH,
  HOT_BIDDERS_RATIO,
  HOT_SELLERS_RATIO,
  lastBase0AuctionId,
  lastBase0PersonId,
  NUM_ACTIVE_PEOPLE,
  NUM_CATEGORIES,
  NUM_IN_FLIGHT_AUCTIONS,
  PERSON_ID_LEAD,
  PERSON_PROPORTION,
  PROPORTION_DENOMINATOR,
} from './model.js';
import {
  baseUrl,
  extraLengths,
  extraOf,
  nextCreditCard,
  nextEmail,
  nextExtra,
  nextPersonName,
  nextString,
  nextUSCity,
  nextUSState,
  reverseBits,
} from './strings.js';

// Type aliases, not interfaces: they are rows (Record<string, unknown>) as they are.
export type Person = {
  id: number;
  name: string;
  emailAddress: string;
  creditCard: string;
  city: string;
  state: string;
  dateTime: number;
  extra: string;
};

export type Auction = {
  id: number;
  itemName: string;
  description: string;
  initialBid: number;
  reserve: number;
  dateTime: number;
  expires: number;
  seller: number;
  category: number;
  extra: string;
};

export type Bid = {
  auction: number;
  bidder: number;
  price: number;
  channel: string;
  url: string;
  dateTime: number;
  extra: string;
};

export interface NexmarkOptions {
  /** Events per second of event time. Default 10 000 (the reference's firstEventRate). */
  readonly rate?: number;
  /** Event time of event 0, epoch ms. */
  readonly baseTime: number;
  /** 0 reproduces the reference's stream; other seeds give other streams. */
  readonly seed?: number;
}

/** Rows and their event times, appended to by `fill`. */
export interface EventSink<T> {
  readonly rows: T[];
  readonly times: number[];
}

const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple'];
const CHANNELS_NUMBER = 10_000;
const HOT_CHANNELS_RATIO = 2;
const TWO_32 = 0x100000000;
/** A bid's size as the reference counts it before `extra` (not counting channel and url). */
const BID_BYTES = 32;
const [BID_EXTRA_SHORTEST, BID_EXTRA_SPREAD] = extraLengths(BID_BYTES, AVG_BID_BYTES);
/**
 * The most values of `next(31)` a bid takes when Java rejects none: hot auction
 * or not, auction, hot bidder or not, bidder, price (two), hot channel or not,
 * channel, extra's length.
 */
const BID_DRAWS = 10;

export class NexmarkGenerator {
  readonly #random = new JavaRandom();
  readonly #draws = new Int32Array(BID_DRAWS);
  readonly #baseTime: number;
  readonly #delayMs: number;
  readonly #seedOffset: number;

  constructor(options: NexmarkOptions) {
    this.#baseTime = options.baseTime;
    this.#delayMs = 1000 / (options.rate ?? 10_000);
    this.#seedOffset = (options.seed ?? 0) * TWO_32;
  }

  /** The event time of event `n`: base time + n / rate, in whole ms. */
  time(n: number): number {
    return this.#baseTime + Math.floor(n * this.#delayMs);
  }

  #seeded(n: number): JavaRandom {
    this.#random.setSeed(n + this.#seedOffset);
    return this.#random;
  }

  /** Appends events [from, to) to the sinks of their types; types without a sink are skipped. */
  fill(
    from: number,
    to: number,
    person: EventSink<Person> | undefined,
    auction: EventSink<Auction> | undefined,
    bid: EventSink<Bid> | undefined,
  ): void {
    for (let n = from; n < to; n++) {
      const rem = n % PROPORTION_DENOMINATOR;
      if (rem < PERSON_PROPORTION) {
        if (person === undefined) continue;
        const row = this.person(n);
        person.rows.push(row);
        person.times.push(row.dateTime);
      } else if (rem < PERSON_PROPORTION + AUCTION_PROPORTION) {
        if (auction === undefined) continue;
        const row = this.auction(n);
        auction.rows.push(row);
        auction.times.push(row.dateTime);
      } else {
        if (bid === undefined) continue;
        const row = this.bid(n);
        bid.rows.push(row);
        bid.times.push(row.dateTime);
      }
    }
  }

  person(n: number): Person {
    const random = this.#seeded(n);
    const name = nextPersonName(random);
    const emailAddress = nextEmail(random);
    const creditCard = nextCreditCard(random);
    const city = nextUSCity(random);
    const state = nextUSState(random);
    const size =
      8 + name.length + emailAddress.length + creditCard.length + city.length + state.length;
    return {
      id: lastBase0PersonId(n) + FIRST_PERSON_ID,
      name,
      emailAddress,
      creditCard,
      city,
      state,
      dateTime: this.time(n),
      extra: nextExtra(random, n, size, AVG_PERSON_BYTES),
    };
  }

  auction(n: number): Auction {
    const random = this.#seeded(n);
    const dateTime = this.time(n);
    const seller =
      (random.nextIntBelow(HOT_SELLERS_RATIO) > 0
        ? Math.floor(lastBase0PersonId(n) / HOT_BATCH) * HOT_BATCH
        : nextBase0PersonId(n, random)) + FIRST_PERSON_ID;
    const category = FIRST_CATEGORY_ID + random.nextIntBelow(NUM_CATEGORIES);
    const initialBid = nextPrice(random);
    // Auctions last twice, on average, the event time it takes to create the in-flight ones.
    const horizon = this.time(n + EVENTS_FOR_IN_FLIGHT_AUCTIONS) - dateTime;
    const expires = dateTime + 1 + nextLong(random, Math.max(horizon * 2, 1));
    const itemName = nextString(random, 20);
    const description = nextString(random, 100);
    const reserve = initialBid + nextPrice(random);
    const size = 8 + itemName.length + description.length + 40;
    return {
      id: lastBase0AuctionId(n) + FIRST_AUCTION_ID,
      itemName,
      description,
      initialBid,
      reserve,
      dateTime,
      expires,
      seller,
      category,
      extra: nextExtra(random, n, size, AVG_AUCTION_BYTES),
    };
  }

  /**
   * The reference's bid (`BidGenerator.nextBid`). Its draws are taken from the
   * first values of `next(31)`, made in one loop with the random state in
   * locals: a call per draw cost about twice as much, and bids are most of
   * the stream. In the rare bid where Java would reject a value and draw
   * again (about one in a million), the bid is drawn again by `bidByCalls`.
   */
  bid(n: number): Bid {
    const draws = this.#draws;
    this.#seeded(n).next31s(draws);
    let k = 0;
    let auction = lastBase0AuctionId(n);
    if (intBelow(draws[k++]!, HOT_AUCTION_RATIO) > 0) {
      auction = Math.floor(auction / HOT_BATCH) * HOT_BATCH;
    } else {
      // nextBase0AuctionId: its bound is at most 111, so nextLong is nextInt.
      const min = Math.max(auction - NUM_IN_FLIGHT_AUCTIONS, 0);
      const offset = intBelow(draws[k++]!, auction - min + 1 + AUCTION_ID_LEAD);
      if (offset < 0) return this.bidByCalls(n);
      auction = min + offset;
    }
    let bidder = lastBase0PersonId(n);
    if (intBelow(draws[k++]!, HOT_BIDDERS_RATIO) > 0) {
      bidder = Math.floor(bidder / HOT_BATCH) * HOT_BATCH + 1;
    } else {
      // nextBase0PersonId: its bound is at most 1 010, so nextLong is nextInt.
      const active = Math.min(bidder + 1, NUM_ACTIVE_PEOPLE);
      const offset = intBelow(draws[k++]!, active + PERSON_ID_LEAD);
      if (offset < 0) return this.bidByCalls(n);
      bidder = bidder + 1 - active + offset;
    }
    const price = priceOf(double(draws[k]!, draws[k + 1]!));
    k += 2;
    let channel: string;
    let url: string;
    if (intBelow(draws[k++]!, HOT_CHANNELS_RATIO) > 0) {
      const i = intBelow(draws[k++]!, HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = hotUrls()[i]!;
    } else {
      const i = intBelow(draws[k++]!, CHANNELS_NUMBER);
      if (i < 0) return this.bidByCalls(n);
      const c = channelOf(i);
      channel = c.channel;
      url = c.url;
    }
    const spread = intBelow(draws[k]!, BID_EXTRA_SPREAD);
    if (spread < 0) return this.bidByCalls(n);
    return {
      auction: auction + FIRST_AUCTION_ID,
      bidder: bidder + FIRST_PERSON_ID,
      price,
      channel,
      url,
      dateTime: this.time(n),
      extra: extraOf(n, BID_EXTRA_SHORTEST + spread),
    };
  }

  /** The same bid as `bid`, drawn by a call per draw as the reference draws it. */
  bidByCalls(n: number): Bid {
    const random = this.#seeded(n);
    const auction =
      (random.nextIntBelow(HOT_AUCTION_RATIO) > 0
        ? Math.floor(lastBase0AuctionId(n) / HOT_BATCH) * HOT_BATCH
        : nextBase0AuctionId(n, random)) + FIRST_AUCTION_ID;
    const bidder =
      (random.nextIntBelow(HOT_BIDDERS_RATIO) > 0
        ? Math.floor(lastBase0PersonId(n) / HOT_BATCH) * HOT_BATCH + 1
        : nextBase0PersonId(n, random)) + FIRST_PERSON_ID;
    const price = nextPrice(random);
    let channel: string;
    let url: string;
    if (random.nextIntBelow(HOT_CHANNELS_RATIO) > 0) {
      const i = random.nextIntBelow(HOT_CHANNELS.length);
      channel = HOT_CHANNELS[i]!;
      url = hotUrls()[i]!;
    } else {
      const c = channelOf(random.nextIntBelow(CHANNELS_NUMBER));
      channel = c.channel;
      url = c.url;
    }
    return {
      auction,
      bidder,
      price,
      channel,
      url,
      dateTime: this.time(n),
      extra: nextExtra(random, n, BID_BYTES, AVG_BID_BYTES),
    };
  }
}

/**
 * Prices are log-uniform between $1 and $1 000 000, in cents. exp(x ln 10) is
 * 10^x to within a few ulps, several times faster than Math.pow here; a cent
 * can differ from the reference only when 10^x * 100 lies within ~1e-7 of a
 * half cent.
 */
function nextPrice(random: JavaRandom): number {
  return priceOf(random.nextDouble());
}

/** The price for a draw of `nextDouble()`. */
function priceOf(uniform: number): number {
  return Math.round(Math.exp(uniform * SIX_LN_10) * 100);
}

const SIX_LN_10 = 6 * Math.LN10;

/** The reference draws `nextInt(n)` below 2^31; beyond, a double's 53 bits (never reached at sane rates). */
function nextLong(random: JavaRandom, n: number): number {
  return n < 0x7fffffff ? random.nextIntBelow(n) : Math.floor(random.nextDouble() * n);
}

/** One of the active people, or a few ids ahead (a person not created yet). */
function nextBase0PersonId(eventId: number, random: JavaRandom): number {
  const numPeople = lastBase0PersonId(eventId) + 1;
  const active = Math.min(numPeople, NUM_ACTIVE_PEOPLE);
  return numPeople - active + nextLong(random, active + PERSON_ID_LEAD);
}

/** One of the auctions likely to be in flight, or a few ids ahead. */
function nextBase0AuctionId(eventId: number, random: JavaRandom): number {
  const max = lastBase0AuctionId(eventId);
  const min = Math.max(max - NUM_IN_FLIGHT_AUCTIONS, 0);
  return min + nextLong(random, max - min + 1 + AUCTION_ID_LEAD);
}

interface Channel {
  readonly channel: string;
  readonly url: string;
}

const channels: (Channel | undefined)[] = new Array(CHANNELS_NUMBER);

/** `channel-N` and its URL, drawn from Random(N), made on first use as the reference's cache does. */
function channelOf(n: number): Channel {
  let c = channels[n];
  if (c === undefined) {
    let url = baseUrl(new JavaRandom(n));
    if (new JavaRandom(n).nextIntBelow(10) > 0) url += `&channel_id=${Math.abs(reverseBits(n))}`;
    c = { channel: `channel-${n}`, url };
    channels[n] = c;
  }
  return c;
}

let hot: string[] | undefined;

/** The reference draws the hot channels' URLs from an unseeded Random; here from fixed seeds. */
function hotUrls(): string[] {
  hot ??= HOT_CHANNELS.map((_, i) => baseUrl(new JavaRandom(CHANNELS_NUMBER + i)));
  return hot;
}
