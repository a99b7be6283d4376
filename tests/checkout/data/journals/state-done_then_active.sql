BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
INSERT INTO "cart" VALUES(2,'8779754323193',2,0);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617611863591217996e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1796176118.59296,'76d7f967-5ae0-4140-bc0b-929e3ce1cc17','1000001','done','{"invoice_id": "inv_331224760f2a45a0", "invoice_number": "F2026-000001"}',1.79617611879929709437e+09);
INSERT INTO "sale" VALUES(2,1.79617611879968690873e+09,'b99a3756-dd40-4273-9b23-5727c5c837d3','1000002','active','{}',NULL);
CREATE TABLE step (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    kind TEXT NOT NULL,
    intent TEXT NOT NULL,
    result TEXT,
    state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
    sent_at REAL NOT NULL,
    ended_at REAL
);
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "76d7f967-5ae0-4140-bc0b-929e3ce1cc17"}','done',1.7961761185953440666e+09,1.79617611860592222214e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "76d7f967-5ae0-4140-bc0b-929e3ce1cc17", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.7961761186065480709e+09,1.79617611861840701108e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "76d7f967-5ae0-4140-bc0b-929e3ce1cc17", "ids": ["itm_bd4d358b9d9d4cb7"]}','{"units": 3}','done',1796176118.62685,1.79617611863461351393e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}','{}','done',1.79617611863667464254e+09,1.79617611864670324332e+09);
INSERT INTO "step" VALUES(5,1,'create_payment','{"amount": 657, "known": []}','{"payment_id": "pay_255a5f08c39947a7"}','done',1.79617611865559577942e+09,1.79617611865969681742e+09);
INSERT INTO "step" VALUES(6,1,'start_terminal','{"payment_id": "pay_255a5f08c39947a7"}','{"payment_id": "pay_255a5f08c39947a7", "status": "PAID", "paid": true}','done',1.79617611866056847572e+09,1.79617611871499729156e+09);
INSERT INTO "step" VALUES(7,1,'open_order','{"order_id": "76d7f967-5ae0-4140-bc0b-929e3ce1cc17"}','{"status": "OPEN"}','done',1.79617611871610164645e+09,1.79617611872926449777e+09);
INSERT INTO "step" VALUES(8,1,'invoice','{"ids": ["itm_16a4e8096db54f78", "itm_49f9d97f5abc4785", "itm_14b2114fc3af437f"], "invoice_id": null, "known": []}','{"invoice_id": "inv_331224760f2a45a0", "number": "F2026-000001"}','done',1.79617611879154396052e+09,1.796176118798116684e+09);
INSERT INTO "step" VALUES(9,2,'create_order','{"channel_id": "pos-demo"}','{"order_id": "b99a3756-dd40-4273-9b23-5727c5c837d3"}','done',1.79617611880163455012e+09,1.79617611880974459648e+09);
INSERT INTO "step" VALUES(10,2,'add_items','{"order_id": "b99a3756-dd40-4273-9b23-5727c5c837d3", "items": {"8779754323193": 2}, "before": {}}','{"units": 2}','done',1.79617611881032729153e+09,1.79617611882231950756e+09);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
