// The Nexmark event generator: a port of Beam's NexmarkGenerator and its
// Person/Auction/Bid generators (the model the nexmark/nexmark suite for
// Flink uses). Each event is drawn from its own java.util.Random seeded with
// the event id, so any event can be made alone, in any order, and the stream
// does not depend on batch sizes or on how fast it is generated.
import { JavaRandom } from './java-random.js';
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

export class NexmarkGenerator {
  readonly #random = new JavaRandom();
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

  bid(n: number): Bid {
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
      extra: nextExtra(random, n, 32, AVG_BID_BYTES),
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
  return Math.round(Math.exp(random.nextDouble() * SIX_LN_10) * 100);
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
