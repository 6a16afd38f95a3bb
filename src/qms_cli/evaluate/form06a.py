"""Biểu 06a from dossier rows: columns (3)-(13) of the official form plus the extra columns that
Decision 784 needs, per unit and for the district, so the scorecard reconciles with the form.

Column (7) counts the dossiers resolved in the period that have an appointment date, so that
(8)+(9) over (7) is exactly the `on_time` figure of the default rule.
"""

from __future__ import annotations

import pandas as pd

from qms_cli.config import Objectives, Rules
from qms_cli.evaluate.kinds import completed
from qms_cli.periods import Period

COLUMNS = [  # (number, key, Vietnamese header, English header)
    (3, "received_total", "Số hồ sơ nhận giải quyết: Tổng số", "Received: total"),
    (4, "online", "Trong đó: trực tuyến", "of which online"),
    (5, "direct_postal", "Trong đó: trực tiếp, dịch vụ bưu chính", "of which in person or by post"),
    (6, "carried", "Trong đó: từ kỳ trước", "of which carried over"),
    (7, "resolved_total", "Đã giải quyết: Tổng số", "Resolved: total"),
    (8, "early", "Trước hạn", "early"),
    (9, "on_time", "Đúng hạn", "on time"),
    (10, "late", "Quá hạn", "late"),
    (11, "pending_total", "Đang giải quyết: Tổng số", "Pending: total"),
    (12, "pending_in_time", "Trong hạn", "within time"),
    (13, "pending_overdue", "Quá hạn", "overdue"),
    (14, "online_l3", "Trực tuyến mức độ 3", "Online level 3"),
    (15, "online_l4", "Trực tuyến mức độ 4", "Online level 4"),
    (16, "postal_in", "Tiếp nhận qua bưu chính", "Received by post"),
    (17, "supplement", "Yêu cầu bổ sung", "Supplementation requested"),
    (18, "returned_total", "Số hồ sơ đã trả kết quả", "Results returned"),
    (19, "postal_out", "Trả kết quả qua bưu chính", "Results returned by post"),
]


def form_06a(records: pd.DataFrame, spec: Objectives, rules: Rules, period: Period) -> pd.DataFrame:
    """Return one row per unit with dossiers (registry order) and the district's total row (unit "")."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    done = completed(records, rules)
    status = records["status"].astype(object)
    counted = ~status.isin(["withdrawn", "refused", "stopped"])
    received = records["received"]
    due = records["due"]
    in_p = (received >= start) & (received <= end) & (status != "refused")
    online = records["channel_in"].astype(object) == "online"
    resolved = (done >= start) & (done <= end) & counted & due.notna()
    pending = (received <= end) & (done.isna() | (done > end)) & counted
    returned = (records["returned"] >= start) & (records["returned"] <= end)
    flags = {
        "online": in_p & online,
        "direct_postal": in_p & ~online,
        "carried": (received < start) & (done.isna() | (done >= start)) & counted,
        "early": resolved & (done < due),
        "on_time": resolved & (done == due),
        "late": resolved & (done > due),
        "pending_in_time": pending & ~(due < end),
        "pending_overdue": pending & (due < end),
        "online_l3": in_p & online & (records["online_level"] == 3),
        "online_l4": in_p & online & (records["online_level"] == 4),
        "postal_in": in_p & (records["channel_in"].astype(object) == "postal"),
        "supplement": in_p & records["supplement_requested"].astype(bool),
        "returned_total": returned,
        "postal_out": returned & (records["channel_out"].astype(object) == "postal"),
    }
    units = records["unit"].astype(str)
    table = pd.DataFrame({k: v.fillna(False).astype(int) for k, v in flags.items()}).groupby(units).sum()
    table["received_total"] = table["online"] + table["direct_postal"] + table["carried"]
    table["resolved_total"] = table["early"] + table["on_time"] + table["late"]
    table["pending_total"] = table["pending_in_time"] + table["pending_overdue"]
    order = [u.slug for u in spec.units if u.slug in table.index]
    table = table.loc[order, [key for _, key, _, _ in COLUMNS]]
    total = table.sum().to_frame().T
    total.index = pd.Index([""])  # the district's total row
    return pd.concat([table, total])
