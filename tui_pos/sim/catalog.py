"""The demo catalogue: what the simulated shop sells, prices in cents including VAT.

Most SKUs are EAN-13 barcodes (GS1 prefix 87, the Netherlands) with valid check digits;
a few are Code128-style shop codes such as ``BAG-PAPER``.

The simulated PIN terminal decides a transaction by the last two digits of the amount
(see ``state.outcome_for_amount``). Three products are priced so that a trainer can
trigger each unhappy outcome with a single item; no other product ends in 13, 14 or 15:

- ``8783016613182`` Goudse kaas jong belegen 500 g, EUR 6,13: card declined (CANCELLED)
- ``8794821993512`` Koffiebonen espresso 1 kg, EUR 12,14: customer abort (PENDING)
- ``8781909378651`` Wasmiddel vloeibaar 1,5 l, EUR 9,15: terminal timeout (EXPIRED)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    """One sellable article."""

    sku: str
    label: str
    price: int  # cents, VAT included


DECLINED_SKU = "8783016613182"
ABORTED_SKU = "8794821993512"
TIMED_OUT_SKU = "8781909378651"

_PRODUCTS = (
    Product("8752601815904", "Melk halfvol 1 l", 119),
    Product("8760913909969", "Volkoren brood", 269),
    Product("8703082462811", "Stroopwafels 8 st.", 199),
    Product(DECLINED_SKU, "Goudse kaas jong belegen 500 g", 613),
    Product(ABORTED_SKU, "Koffiebonen espresso 1 kg", 1214),
    Product(TIMED_OUT_SKU, "Wasmiddel vloeibaar 1,5 l", 915),
    Product("8779754323193", "Roomboter 250 g", 289),
    Product("8748757491185", "Eieren scharrel 10 st.", 349),
    Product("8762527601895", "Hagelslag puur 400 g", 279),
    Product("8755597971142", "Pindakaas 350 g", 239),
    Product("8771049746502", "Appelsap 1,5 l", 229),
    Product("8775291703429", "Karnemelk 1 l", 109),
    Product("8736671276841", "Griekse yoghurt 1 kg", 329),
    Product("8726846563210", "Bananen 1 kg", 189),
    Product("8722330792449", "Elstar appels 1 kg", 249),
    Product("8702685995283", "Aardappelen kruimig 2,5 kg", 399),
    Product("8790786666171", "Thee Engelse melange 20 st.", 179),
    Product("8760313721598", "Chocoladereep melk 200 g", 259),
    Product("8701092815900", "Drop zoet 250 g", 189),
    Product("8713962459572", "Chips paprika 225 g", 199),
    Product("8711777741219", "Cola 1,5 l", 225),
    Product("8754728038525", "Spa blauw 6 x 1,5 l", 409),
    Product("8780841485250", "Pils 6 x 33 cl", 649),
    Product("8738885393369", "Rode wijn Merlot 75 cl", 599),
    Product("8733875004744", "Toiletpapier 8 rollen", 429),
    Product("8739575513135", "Tandpasta 75 ml", 169),
    Product("8773537990756", "Afwasmiddel 500 ml", 139),
    Product("8711637265169", "Ontbijtkoek 500 g", 179),
    Product("8776122202975", "Speculaas 400 g", 219),
    Product("8729975288207", "Tompoucen 2 st.", 299),
    Product("8701826330433", "Rundvleeskroketten 2 st.", 349),
    Product("BAG-PAPER", "Papieren tas", 25),
    Product("BAG-REUSE", "Herbruikbare tas", 99),
    Product("GIFT-10", "Cadeaukaart EUR 10", 1000),
    Product("GIFT-25", "Cadeaukaart EUR 25", 2500),
)

CATALOG: Mapping[str, Product] = {product.sku: product for product in _PRODUCTS}
