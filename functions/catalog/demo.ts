import { parseMoney } from '../../shared/money.js';
import type { Platform } from '../../shared/platform/platform.js';
import { days } from '../../shared/time/clock.js';
import { refreshCards } from './cards.service.js';
import { catalogDeps } from './catalog.deps.js';
import * as repo from './catalog.repository.js';
import type { ProductKind } from './demo/product-image.js';
import { sanitizeDescription } from './description.js';
import { nameKey } from './product.mapper.js';

/**
 * The demo shop (DEMO_DATA, local only): categories, brands and products with prices in AUD,
 * ratings, sales, views, stock and two photos each, drawn at seed time from the SVG templates of
 * ./demo/product-image.ts and stored through the blob port. Runs once: a catalog that has any
 * product is left alone.
 */

const categories = [
  'Phones',
  'Laptops & Tablets',
  'Audio',
  'Wearables',
  'Cameras',
  'Computer Accessories',
  'Footwear',
  'Bags',
] as const;
const brands = ['Nimbus', 'Kestrel', 'Lumen', 'Auralis', 'Stride', 'Northpeak'] as const;

type Category = (typeof categories)[number];
type Brand = (typeof brands)[number];

interface DemoProduct {
  name: string;
  kind: ProductKind;
  category: Category;
  brand: Brand;
  price: string;
  was?: string;
  rating: number;
  sold: number;
  view: number;
  stock: number;
  hue: number;
  blurb: string;
  features: string[];
}

const products: DemoProduct[] = [
  {
    name: 'Nimbus One',
    kind: 'phone',
    category: 'Phones',
    brand: 'Nimbus',
    price: '899.00',
    was: '999.00',
    rating: 4.6,
    sold: 1240,
    view: 18230,
    stock: 42,
    hue: 215,
    blurb: 'A bright 6.1-inch phone that lasts all day and fits in one hand.',
    features: [
      '6.1" OLED display, 120 Hz',
      '128 GB storage',
      'Dual 48 MP cameras',
      'All-day battery with fast charging',
    ],
  },
  {
    name: 'Nimbus One Pro',
    kind: 'phone',
    category: 'Phones',
    brand: 'Nimbus',
    price: '1499.00',
    rating: 4.8,
    sold: 860,
    view: 22100,
    stock: 18,
    hue: 260,
    blurb: 'Our best camera system in a titanium frame.',
    features: ['6.7" LTPO display', '256 GB storage', 'Triple camera with 5x zoom', 'Titanium frame, IP68'],
  },
  {
    name: 'Kestrel X5',
    kind: 'phone',
    category: 'Phones',
    brand: 'Kestrel',
    price: '649.00',
    was: '749.00',
    rating: 4.3,
    sold: 530,
    view: 9100,
    stock: 65,
    hue: 150,
    blurb: 'Flagship speed at a mid-range price.',
    features: ['6.5" AMOLED, 90 Hz', '8 GB RAM, 256 GB storage', '5,000 mAh battery', 'Stereo speakers'],
  },
  {
    name: 'Lumen Lite',
    kind: 'phone',
    category: 'Phones',
    brand: 'Lumen',
    price: '349.00',
    rating: 4.0,
    sold: 2150,
    view: 14020,
    stock: 120,
    hue: 20,
    blurb: 'Everything you need in a phone, nothing you do not.',
    features: ['6.4" display', '64 GB storage, microSD slot', 'Two-day battery', 'Headphone jack'],
  },
  {
    name: 'Nimbus Book Air 13',
    kind: 'laptop',
    category: 'Laptops & Tablets',
    brand: 'Nimbus',
    price: '1699.00',
    was: '1849.00',
    rating: 4.7,
    sold: 410,
    view: 12800,
    stock: 25,
    hue: 200,
    blurb: 'A fanless 13-inch laptop that weighs just 1.2 kg.',
    features: [
      '13.6" Retina-class display',
      '16 GB memory, 512 GB SSD',
      'Up to 18 hours of battery',
      'Silent, fanless design',
    ],
  },
  {
    name: 'Kestrel Studio 16',
    kind: 'laptop',
    category: 'Laptops & Tablets',
    brand: 'Kestrel',
    price: '2899.00',
    rating: 4.5,
    sold: 150,
    view: 7600,
    stock: 9,
    hue: 280,
    blurb: 'A 16-inch workstation for video, 3D and code.',
    features: ['16" 3K 165 Hz display', '32 GB memory, 1 TB SSD', 'Dedicated graphics', 'Thunderbolt 4 ×2'],
  },
  {
    name: 'Lumen Tab 11',
    kind: 'tablet',
    category: 'Laptops & Tablets',
    brand: 'Lumen',
    price: '549.00',
    was: '629.00',
    rating: 4.4,
    sold: 690,
    view: 8800,
    stock: 37,
    hue: 185,
    blurb: 'An 11-inch tablet for reading, drawing and streaming.',
    features: ['11" 2K display', 'Pen support', 'Quad speakers', '128 GB storage'],
  },
  {
    name: 'Nimbus Slate Mini',
    kind: 'tablet',
    category: 'Laptops & Tablets',
    brand: 'Nimbus',
    price: '749.00',
    rating: 4.6,
    sold: 320,
    view: 6400,
    stock: 22,
    hue: 330,
    blurb: 'A small tablet with a big screen-to-body ratio.',
    features: ['8.3" display', 'All-screen design', '5G option', 'Fits in a jacket pocket'],
  },
  {
    name: 'Auralis Halo Over-Ear',
    kind: 'headphones',
    category: 'Audio',
    brand: 'Auralis',
    price: '429.00',
    was: '499.00',
    rating: 4.8,
    sold: 1530,
    view: 19400,
    stock: 54,
    hue: 10,
    blurb: 'Noise cancelling that lets you hear only the music.',
    features: [
      'Adaptive noise cancelling',
      '30-hour battery',
      'Multipoint Bluetooth',
      'Memory-foam cushions',
    ],
  },
  {
    name: 'Auralis Pulse Studio',
    kind: 'headphones',
    category: 'Audio',
    brand: 'Auralis',
    price: '279.00',
    rating: 4.5,
    sold: 780,
    view: 9900,
    stock: 31,
    hue: 45,
    blurb: 'Tuned flat for mixing, comfortable for hours.',
    features: ['50 mm drivers', 'Detachable cable', 'Foldable design', 'Carry case included'],
  },
  {
    name: 'Auralis Boom Mini',
    kind: 'speaker',
    category: 'Audio',
    brand: 'Auralis',
    price: '129.00',
    was: '159.00',
    rating: 4.4,
    sold: 2300,
    view: 11200,
    stock: 88,
    hue: 100,
    blurb: 'A waterproof speaker with a sound far bigger than its size.',
    features: ['IP67 waterproof', '12-hour battery', 'Pair two for stereo', 'Strap for your bag'],
  },
  {
    name: 'Lumen Room Speaker',
    kind: 'speaker',
    category: 'Audio',
    brand: 'Lumen',
    price: '329.00',
    rating: 4.2,
    sold: 240,
    view: 4300,
    stock: 14,
    hue: 30,
    blurb: 'Room-filling sound that tunes itself to your space.',
    features: ['Room calibration', 'Wi-Fi and Bluetooth', 'Voice assistant built in', 'Multi-room ready'],
  },
  {
    name: 'Kestrel Pace Watch',
    kind: 'watch',
    category: 'Wearables',
    brand: 'Kestrel',
    price: '399.00',
    rating: 4.5,
    sold: 610,
    view: 10300,
    stock: 40,
    hue: 125,
    blurb: 'A GPS sports watch for runners, riders and swimmers.',
    features: ['Dual-band GPS', '14-day battery', 'Heart-rate and SpO2', 'Water resistant to 50 m'],
  },
  {
    name: 'Lumen Band S',
    kind: 'watch',
    category: 'Wearables',
    brand: 'Lumen',
    price: '99.00',
    was: '129.00',
    rating: 4.1,
    sold: 3400,
    view: 12700,
    stock: 150,
    hue: 300,
    blurb: 'A light fitness band that tracks sleep, steps and stress.',
    features: ['AMOLED screen', '10-day battery', 'Sleep tracking', '100+ workout modes'],
  },
  {
    name: 'Nimbus Watch Classic',
    kind: 'watch',
    category: 'Wearables',
    brand: 'Nimbus',
    price: '599.00',
    rating: 4.7,
    sold: 470,
    view: 9700,
    stock: 0,
    hue: 40,
    blurb: 'A smartwatch in a timeless steel case.',
    features: ['Sapphire glass', 'ECG app', 'Always-on display', 'Steel case, leather strap'],
  },
  {
    name: 'Lumen Mirrorless M2',
    kind: 'camera',
    category: 'Cameras',
    brand: 'Lumen',
    price: '1899.00',
    was: '2099.00',
    rating: 4.7,
    sold: 130,
    view: 6900,
    stock: 11,
    hue: 220,
    blurb: 'A compact full-frame camera for travel and street.',
    features: ['24 MP full-frame sensor', 'In-body stabilisation', '4K 60p video', 'Weather sealed'],
  },
  {
    name: 'Kestrel Action Cam 4',
    kind: 'camera',
    category: 'Cameras',
    brand: 'Kestrel',
    price: '449.00',
    rating: 4.3,
    sold: 520,
    view: 7300,
    stock: 46,
    hue: 175,
    blurb: 'Tough, waterproof and steady on any trail.',
    features: ['5.3K video', 'Horizon levelling', 'Waterproof to 10 m', 'Front and rear screens'],
  },
  {
    name: 'Kestrel Mech K87',
    kind: 'keyboard',
    category: 'Computer Accessories',
    brand: 'Kestrel',
    price: '189.00',
    was: '219.00',
    rating: 4.6,
    sold: 940,
    view: 8600,
    stock: 60,
    hue: 265,
    blurb: 'A tenkeyless mechanical keyboard with hot-swap switches.',
    features: ['Hot-swappable switches', 'PBT keycaps', 'Wired and wireless', 'Per-key lighting'],
  },
  {
    name: 'Nimbus Slim Keyboard',
    kind: 'keyboard',
    category: 'Computer Accessories',
    brand: 'Nimbus',
    price: '149.00',
    rating: 4.4,
    sold: 700,
    view: 5200,
    stock: 75,
    hue: 205,
    blurb: 'A quiet, low-profile keyboard for three devices.',
    features: ['Low-profile scissor keys', 'Switch between 3 devices', 'USB-C charging', 'Backlit keys'],
  },
  {
    name: 'Nimbus Silent Mouse',
    kind: 'mouse',
    category: 'Computer Accessories',
    brand: 'Nimbus',
    price: '69.00',
    rating: 4.2,
    sold: 1800,
    view: 6100,
    stock: 140,
    hue: 190,
    blurb: 'Clicks you feel but nobody hears.',
    features: ['Silent switches', '24-month battery', 'Works on glass', 'Ambidextrous shape'],
  },
  {
    name: 'Kestrel Glide Pro',
    kind: 'mouse',
    category: 'Computer Accessories',
    brand: 'Kestrel',
    price: '119.00',
    was: '149.00',
    rating: 4.6,
    sold: 1150,
    view: 7800,
    stock: 3,
    hue: 350,
    blurb: 'A 60-gram wireless gaming mouse.',
    features: ['60 g', '26K DPI sensor', '2.4 GHz wireless', '90-hour battery'],
  },
  {
    name: 'Lumen View 27 4K',
    kind: 'monitor',
    category: 'Computer Accessories',
    brand: 'Lumen',
    price: '699.00',
    rating: 4.5,
    sold: 380,
    view: 8200,
    stock: 20,
    hue: 230,
    blurb: 'A colour-accurate 27-inch 4K monitor with USB-C.',
    features: ['27" 4K IPS panel', '99% sRGB', '90 W USB-C charging', 'Height-adjustable stand'],
  },
  {
    name: 'Kestrel Ultrawide 34',
    kind: 'monitor',
    category: 'Computer Accessories',
    brand: 'Kestrel',
    price: '999.00',
    was: '1199.00',
    rating: 4.4,
    sold: 210,
    view: 6700,
    stock: 8,
    hue: 160,
    blurb: 'A curved ultrawide for games and spreadsheets alike.',
    features: ['34" 3440×1440', '144 Hz', '1500R curve', 'KVM switch built in'],
  },
  {
    name: 'Stride Runner 2',
    kind: 'shoe',
    category: 'Footwear',
    brand: 'Stride',
    price: '189.95',
    was: '219.95',
    rating: 4.6,
    sold: 1650,
    view: 15100,
    stock: 70,
    hue: 5,
    blurb: 'A cushioned daily trainer that feels fast.',
    features: ['Foam midsole', 'Breathable knit upper', '8 mm drop', 'Recycled materials'],
  },
  {
    name: 'Stride Trail Pro',
    kind: 'shoe',
    category: 'Footwear',
    brand: 'Stride',
    price: '229.95',
    rating: 4.5,
    sold: 540,
    view: 8400,
    stock: 28,
    hue: 90,
    blurb: 'Grip and protection for rough mountain trails.',
    features: ['Lugged outsole', 'Rock plate', 'Water-repellent upper', 'Gaiter hooks'],
  },
  {
    name: 'Stride Court Classic',
    kind: 'shoe',
    category: 'Footwear',
    brand: 'Stride',
    price: '129.95',
    rating: 4.3,
    sold: 2100,
    view: 9800,
    stock: 95,
    hue: 55,
    blurb: 'A clean leather sneaker that goes with everything.',
    features: ['Full-grain leather', 'Cushioned insole', 'Cupsole construction', 'Three colourways'],
  },
  {
    name: 'Northpeak Daypack 22',
    kind: 'backpack',
    category: 'Bags',
    brand: 'Northpeak',
    price: '119.00',
    rating: 4.5,
    sold: 880,
    view: 7100,
    stock: 56,
    hue: 135,
    blurb: 'A light 22-litre pack for hikes and city days.',
    features: ['22 L', 'Padded laptop sleeve', 'Water-resistant fabric', 'Lifetime warranty'],
  },
  {
    name: 'Northpeak Commuter 30',
    kind: 'backpack',
    category: 'Bags',
    brand: 'Northpeak',
    price: '179.00',
    was: '199.00',
    rating: 4.7,
    sold: 460,
    view: 6300,
    stock: 33,
    hue: 245,
    blurb: 'Opens like a suitcase, carries like a backpack.',
    features: [
      '30 L, clamshell opening',
      '16" laptop sleeve',
      'Hidden passport pocket',
      'Luggage pass-through',
    ],
  },
];

/** Idempotent: seeds only an empty catalog. */
export async function seedDemoCatalog(platform: Platform): Promise<void> {
  const deps = catalogDeps(platform);
  if (await repo.anyProductExists(deps.db)) return;
  // sharp (the drawing) loads only when there is something to draw: a start on existing data skips it.
  const { renderProductImage } = await import('./demo/product-image.js');
  const slugs = products.map((p) => nameKey(p.name).replace(/[^a-z0-9]+/g, '-'));
  // Draw and store the photos first: the rows below are written in one transaction after them.
  // sharp renders on libuv's worker threads, so the pictures are drawn side by side, and each is
  // stored as soon as it is drawn, while this thread cleans the descriptions.
  const stored = Promise.all(
    products.flatMap((p, i) =>
      [0, 1].map(async (n) => {
        const png = await renderProductImage({
          kind: p.kind,
          hue: (p.hue + n * 35) % 360,
          variant: i * 2 + n,
        });
        await deps.blobs.put(`products/demo/${slugs[i]}-${n + 1}.png`, png, 'image/png');
      }),
    ),
  );
  const [descriptions] = await Promise.all([
    Promise.all(products.map((p) => sanitizeDescription(describe(p)))),
    stored,
  ]);
  const now = deps.clock.now();
  await deps.transaction(async (trx) => {
    const ids = { categories: new Map<string, number>(), brands: new Map<string, number>() };
    for (const [kind, names] of [
      ['categories', categories],
      ['brands', brands],
    ] as const) {
      for (const name of names) {
        ids[kind].set(
          name,
          await repo.insertNamed(trx, kind, { name, name_key: nameKey(name), created_at: now }),
        );
      }
    }
    const productIds: number[] = [];
    for (const [i, p] of products.entries()) {
      const price = money(p.price);
      const added = new Date(now.getTime() - days(products.length - i));
      const id = await repo.insertProduct(trx, {
        name: p.name,
        name_key: nameKey(p.name),
        description: descriptions[i] ?? '',
        price_minor: price,
        price_before_discount_minor: p.was === undefined ? price : money(p.was),
        rating_tenths: Math.round(p.rating * 10),
        sold_count: p.sold,
        view_count: p.view,
        quantity: p.stock,
        category_id: ids.categories.get(p.category) ?? 0,
        brand_id: ids.brands.get(p.brand) ?? 0,
        is_deleted: false,
        created_at: added,
        updated_at: added,
        deleted_at: null,
      });
      await repo.insertImages(
        trx,
        [0, 1].map((n) => ({
          product_id: id,
          blob_key: `products/demo/${slugs[i]}-${n + 1}.png`,
          description: n === 0 ? p.name : `${p.name}, another view`,
          is_main: n === 0,
          created_at: added,
        })),
      );
      productIds.push(id);
    }
    await refreshCards(trx, productIds);
    await repo.bumpRevision(trx);
  });
  deps.log.info('seeded the demo catalog', {
    categories: categories.length,
    brands: brands.length,
    products: products.length,
  });
}

function money(text: string): number {
  const minor = parseMoney(text);
  if (minor === undefined) throw new Error(`demo price ${text} is not an amount`);
  return minor;
}

function describe(p: DemoProduct): string {
  const items = p.features.map((f) => `<li>${f}</li>`).join('');
  return `<p><strong>${p.name}</strong>: ${p.blurb}</p><ul>${items}</ul><p>Sold with a 2-year ${p.brand} warranty and free returns within 30 days.</p>`;
}
