"""Notes of the bundled ``launches`` dataset: how each kept figure of the project's public
volumes file maps to the model, each product's launch date and where it comes from, and every
figure of the file left out, with the reason.

The source is the project's ``public_token_volumes.csv`` (header ``series, date,
period_start, period_end, value, unit, scope, source, confidence, note``). A row is named
``series@date``, or ``series@period_start..period_end`` when it gives a period. Rows of the
series already bundled (``china_national``, ``doubao``, ``openrouter``) stay in their datasets
(:data:`ELSEWHERE`); the others are in ``launches`` (:data:`KEPT`) or left out
(:data:`LEFT_OUT`): nothing is dropped silently.

How the rows map
----------------
- Kind: a figure on a day is a ``point`` in its rate unit; a daily average over a stated period
  ("2025H1 average", "June 2025 日均") a ``mean`` over that period; tokens over a quarter,
  month or fiscal year a ``total`` in ``tokens``. Units are converted by
  :mod:`tokendemand.units` from the ``unit`` column (``tokens/minute`` is a rate).
- Bound: ``lower`` where the file says "lower bound" or "over", ``upper`` for "upper bound";
  a stated range (Hermes Agent's 224-291B a day) is a lower and an upper bound on the same day.
- Market: Chinese providers and the national and enterprise totals are in ``china`` (as
  ``china_national`` and ``doubao``), products measured on OpenRouter in ``openrouter`` (as
  ``openrouter.csv``); the OpenAI API, Microsoft Foundry and Together.ai serve customers
  worldwide and no bundled dataset has a market for them, so they are in ``global`` (the
  market ``agent_evidence`` uses for figures of no one market).
- Launch: a product carries the public launch day the source file states in its scope or note,
  or that its sources state (:data:`LAUNCHES`); market-wide and platform series (the national
  total, Frost & Sullivan's enterprise calls, OpenRouter's top-10 sums) are mature, and so is a
  product whose launch day no source states (Zhipu, MiniMax, Microsoft Foundry, Together.ai,
  OpenClaw): a guessed launch day would be a placeholder.
- The model reads only tokens, so a figure of API calls or words stays out.
"""

from __future__ import annotations

from typing import Final

__all__ = ["ELSEWHERE", "KEPT", "LAUNCHES", "LEFT_OUT"]

ELSEWHERE: Final[dict[str, str]] = {
    "china_national_daily_tokens": "china_national",
    "doubao_daily_tokens": "doubao",
    "openrouter_total": "openrouter",
    "openrouter_china_models_weekly": "openrouter",
    "openrouter_us_models_weekly": "openrouter",
}
"""Series of the source file bundled in another dataset, and that dataset. The week of
2026-02-16..22 of ``openrouter_china_models_weekly`` (5.16T) was added to ``openrouter`` with
this dataset: it fills a gap in that series."""

KEPT: Final[dict[str, tuple[str, str]]] = {
    "baidu_ernie_daily_tokens@2024-05-16": (
        "baidu_ernie",
        "point: 'about 250B' tokens a day stated on the Q1-2024 call",
    ),
    "baidu_ernie_daily_tokens@2024-08-22": (
        "baidu_ernie",
        "point, lower bound: 'over 1 trillion daily tokens' on the Q2-2024 call",
    ),
    "zhipu_maas_daily_tokens@2022-01-01..2022-12-31": (
        "zhipu",
        "mean over 2022: the prospectus gives a daily figure for 2022 without its day",
    ),
    "zhipu_maas_daily_tokens@2025-06-30": (
        "zhipu",
        "mean over June 2025: the quote is the June daily average ('6 月, 日均'), not a day",
    ),
    "deepseek_all_surfaces_daily_input_tokens@2025-02-27..2025-02-28": (
        "deepseek",
        "summed with the output tokens of the same 24 hours into one figure of all tokens "
        "(776B), as other providers count input and output; a mean over the two days the "
        "window (noon to noon) straddles",
    ),
    "deepseek_all_surfaces_daily_output_tokens@2025-02-27..2025-02-28": (
        "deepseek",
        "the output half of the 776B figure (see the input row)",
    ),
    "minimax_daily_tokens@2024-11-30": (
        "minimax",
        "point on the day the source file sets for 'late 2024'",
    ),
    "china_enterprise_llm_daily_tokens_frost_sullivan@2024-07-01..2024-12-31": (
        "china_enterprise_llm",
        "mean over 2024H2, derived in the source file (kept low confidence)",
    ),
    "china_enterprise_llm_daily_tokens_frost_sullivan@2025-01-01..2025-06-30": (
        "china_enterprise_llm",
        "mean over 2025H1",
    ),
    "china_enterprise_llm_daily_tokens_frost_sullivan@2025-07-01..2025-12-31": (
        "china_enterprise_llm",
        "mean over 2025H2",
    ),
    "china_llm_daily_tokens_premier@2026-05-31": (
        "china_national",
        "point, lower bound: tokens of all Chinese LLMs, the quantity the national series "
        "measures, so a figure of china_national",
    ),
    "microsoft_foundry_tokens@2024-01-01..2024-03-31": (
        "microsoft_foundry",
        "total over CY2024Q1, derived from '5x year on year' (kept low confidence)",
    ),
    "microsoft_foundry_tokens@2025-01-01..2025-03-31": (
        "microsoft_foundry",
        "total over CY2025Q1 (tokens per quarter over that quarter)",
    ),
    "microsoft_foundry_tokens@2025-03-01..2025-03-31": (
        "microsoft_foundry",
        "total over March 2025 (tokens per month over that month)",
    ),
    "microsoft_foundry_tokens_fiscal_year@2024-07-01..2025-06-30": (
        "microsoft_foundry",
        "total over fiscal 2025, lower bound ('over 500 trillion'); the same product as the "
        "quarterly rows, so the same series",
    ),
    "openai_api_tokens@2025-03-15": (
        "openai_api",
        "point, upper bound: 'below 5T a day' about a year before GPT-5.4",
    ),
    "openai_api_tokens@2025-10-06": (
        "openai_api",
        "point: 6B tokens a minute at DevDay, a rate converted to tokens a day",
    ),
    "openai_api_tokens@2026-03-31": (
        "openai_api",
        "point: 15B tokens a minute in the investor letter",
    ),
    "together_ai_open_source_inference@2025-09-17": ("together_ai", "point"),
    "openrouter_top10_models_weekly@2026-02-16..2026-02-22": (
        "openrouter_top10_models",
        "total over the week: a sum over the top-10 models, not the platform, so its own series",
    ),
    "openrouter_top10_china_models_weekly@2026-02-16..2026-02-22": (
        "openrouter_top10_china_models",
        "total over the week: Chinese models within the top 10, its own series (it conflicts "
        "mildly with the 5.16T of all Chinese models; both low or medium confidence)",
    ),
    "xai_grok_code_fast_1_openrouter@2025-09-15": (
        "xai_grok_code_fast_1",
        "point in tokens/week: the leaderboard window is not stated, the source file reads it "
        "as a week (kept low confidence)",
    ),
    "xai_grok_4_fast_openrouter_daily@2025-09-23": ("xai_grok_4_fast", "point, one day"),
    "xai_grok_4_1_fast_openrouter_daily@2025-11-25": (
        "xai_grok_4_1_fast",
        "point: a single-day record during free access, date approximate (low confidence)",
    ),
    "hermes_agent_openrouter_daily@2026-05-10": (
        "hermes_agent",
        "two points on the day: the stated range 224-291B a day as a lower and an upper bound",
    ),
    "openclaw_agent_openrouter_daily@2026-05-10": ("openclaw", "point, one day"),
}
"""Rows of the source file in ``launches``: their series there and why they map as they do."""

LAUNCHES: Final[dict[str, tuple[str | None, str]]] = {
    "baidu_ernie": ("2023-08-31", "public launch of Ernie Bot, stated in the source scope"),
    "deepseek": ("2025-01-20", "R1 and the DeepSeek app, stated in the source scope"),
    "openai_api": (
        "2020-06-11",
        "the OpenAI API opened to users (OpenAI, 'OpenAI API', 2020-06-11); the source file "
        "says June 2020",
    ),
    "xai_grok_code_fast_1": (
        "2025-08-26",
        "release date of grok-code-fast-1; 'late August 2025' in the source scope",
    ),
    "xai_grok_4_fast": (
        "2025-09-19",
        "xAI's announcement of Grok 4 Fast; 'days after its launch' in the source scope",
    ),
    "xai_grok_4_1_fast": (
        "2025-11-19",
        "released with xAI's Agent Tools API, free on OpenRouter until 2025-12-03",
    ),
    "hermes_agent": (
        "2026-02-25",
        "announced by Nous Research (released 2026-02-26); '~3 months after launch' in the "
        "source scope",
    ),
    "zhipu": (None, "no launch day of the platform is stated; figures from 2022 on"),
    "minimax": (None, "no launch day of the platform is stated"),
    "microsoft_foundry": (None, "no launch day of the Foundry APIs is stated"),
    "together_ai": (None, "no launch day is stated"),
    "openclaw": (
        None,
        "'launched late 2025' names no day and accounts differ (a November 2025 weekend "
        "project, public as Clawdbot in January 2026)",
    ),
    "china_enterprise_llm": (None, "a market-wide total: mature"),
    "china_national": (None, "the national total: mature"),
    "openrouter_top10_models": (None, "a platform sub-aggregate: mature"),
    "openrouter_top10_china_models": (None, "a platform sub-aggregate: mature"),
}
"""Every series of ``launches``: its launch day (``None`` for a mature series) and where the day
comes from, or why there is none. ``doubao`` (in its own dataset) carries 2024-05-15, the day
Volcano Engine launched the Doubao models (see its first row's note)."""

LEFT_OUT: Final[dict[str, str]] = {
    "baidu_ernie_daily_api_calls@2023-12-31": "API calls a day, not tokens: the model reads "
    "only tokens and calls per token are unknown and changing",
    "baidu_ernie_daily_api_calls@2024-05-16": "API calls a day, not tokens (as above)",
    "baidu_ernie_daily_api_calls@2024-08-22": "API calls a day, not tokens (as above)",
    "baidu_ernie_daily_api_calls@2024-11-01": "API calls a day, not tokens (as above)",
    "baidu_ernie_daily_api_calls@2024-12-31": "API calls a day, not tokens (as above)",
    "openai_api_gpt3_words@2021-03-29": "words of generated output a day, not tokens (input "
    "is not counted and words per token vary): the model reads only tokens",
    "openai_api_tokens@2025-10-01..2025-10-31": "a16z's 8.6T a day in October restates the "
    "DevDay figure (6B a minute x 1440 = 8.64T): kept once, as the DevDay point",
    "zhipu_maas_daily_tokens@2025-11-01..2025-11-30": "the unit is cut off in the only copy "
    "('4.2 万'); 4.2 trillion is the source file's assumption, not a reading, and would "
    "contradict June's 4.6T",
}
"""Rows of the source file not in any dataset, and why."""
