"""Notes of the bundled ``agent_evidence`` dataset: how each kept figure maps to the model, and
every figure of the source file left out, with the reason.

The source is the project's ``agent_evidence.csv`` (figures on the agent layer gathered from
public reports; shares are fractions). Kept figures enter as
:mod:`tokendemand.observations` rows; a figure that measures something related to a model
quantity names what it measures in the ``proxy`` column and gets its own bias term
(:attr:`Priors.proxy_bias <tokendemand.priors.Priors.proxy_bias>`), never entering literally:

======================================  ===============  ===================  ==================
series                                  kind             proxy                why this mapping
======================================  ===============  ===================  ==================
openrouter_programming_share            agent_share      programming_share    programming tokens
                                                                              are mostly coding
                                                                              agents; not all
openrouter_agentic_share                agent_share      (direct)             "agents overtook
                                                                              humans in tokens":
                                                                              the share itself
kpmg_us_orgs_deployed_agents            penetration      org_adoption         organisations, not
                                                                              users
codex_org_accounts_intensity_ratio      intensity_ratio  (direct)             derived: (0.633 /
                                                                              0.367) / 0.173
gartner_agentic_vs_chat_tokens_per_     intensity_ratio  tokens_per_task      per task, not per
task, openrouter_agentic_task_vs_chat                                         user per day
======================================  ===============  ===================  ==================

Markets: OpenRouter figures are in market ``openrouter``; surveys and per-task ratios, which
describe no one market, in ``global``. The agent layer's parameters (``rho``, the penetration
curve) are shared by the markets of a fit, so these figures inform them whatever the market of
the volumes; a market with no level figure only adds a scale parameter that stays at its prior.
"""

from __future__ import annotations

from typing import Final

__all__ = ["KEPT", "LEFT_OUT"]

KEPT: Final[dict[str, str]] = {
    "openrouter_programming_share_of_tokens": "openrouter_programming_share",
    "openrouter_agentic_share_of_tokens": "openrouter_agentic_share",
    "kpmg_us_orgs_deployed_agents": "kpmg_us_orgs_deployed_agents",
    "gartner_agentic_vs_chat_tokens_per_task": "gartner_agentic_vs_chat_tokens_per_task",
    "openrouter_agentic_task_vs_chat_ratio": "openrouter_agentic_task_vs_chat",
}
"""Series of the source file kept, and their series in the dataset (the derived
``codex_org_accounts_intensity_ratio`` comes from two left-out rows, see :data:`LEFT_OUT`)."""

LEFT_OUT: Final[dict[str, str]] = {
    "agentic_coding_vs_chat_tokens_ratio": "1000x tokens per task on a coding benchmark "
    "(SWE-bench) against code chat: one domain's extreme, 30x run-to-run spread; as a "
    "tokens-per-task proxy it would contradict Gartner's 5-30x by 30-200x",
    "agentic_coding_tokens_per_task": "absolute tokens per task, no chatbot denominator: "
    "nothing in the model to compare it with",
    "openrouter_tool_call_rate_anthropic": "share of requests ending in a tool call (requests, "
    "one vendor's models): neither tokens nor users",
    "openrouter_reasoning_share_of_output_tokens": "reasoning tokens are not agent tokens; "
    "chatbots reason too",
    "anthropic_claudeai_directive_share": "share of conversations classed as directive "
    "automation: conversations, not tokens or users, and automation is not agents",
    "anthropic_api_automation_share": "share of sampled API traffic showing automation: "
    "traffic classification, not agent tokens",
    "anthropic_claudeai_automation_share": "as above, and the method changed between reports",
    "openai_codex_share_of_output_tokens_openai_workers": "one firm's employees (OpenAI), "
    "saturated at 99.8%: not a market",
    "openai_codex_share_of_output_tokens_org_users": "used with the 28-day organisational "
    "adoption (openai_codex_org_adoption_28day) to derive codex_org_accounts_intensity_ratio; "
    "not entered twice",
    "openai_codex_org_adoption_28day": "used in the derived intensity ratio (above); a "
    "penetration of one vendor's business accounts, not entered on its own",
    "openai_codex_share_of_output_tokens_individual_users": "no matching penetration of "
    "individual accounts to turn it into an intensity ratio",
    "openai_codex_turns_with_tool_calls": "share of turns with a tool call: turns, not tokens",
    "openai_chatgpt_turns_with_tool_calls": "share of ChatGPT turns with a tool call: turns",
    "openai_codex_active_users_growth": "growth of one product's users with no base level",
    "openai_employee_output_tokens_growth_researcher": "one firm's employees by role",
    "openai_employee_output_tokens_growth_legal": "one firm's employees by role",
    "epoch_reasoning_vs_nonreasoning_output_tokens": "reasoning against non-reasoning "
    "models on benchmark answers: not agents against chatbots",
    "epoch_reasoning_output_length_growth": "growth of benchmark answer length of reasoning "
    "models: not the complexity of agent tasks in use",
    "epoch_nonreasoning_output_length_growth": "as above, non-reasoning models",
    "nous_open_vs_closed_reasoning_tokens": "open against closed models: not agents",
    "doubao_deep_thinking_mode_usage_rate": "usage of a deep-thinking mode: reasoning, not agents",
    "nvidia_reasoning_agentic_compute_multiplier": "a claim about compute, not tokens; no "
    "measurement",
    "tencent_hunyuan3_vs_hunyuan2_usage": "usage of one model generation over the last: "
    "neither the agent share nor penetration",
    "kpmg_global_orgs_scaling_agents": "a stricter definition (scaling enterprise-wide) than "
    "the US pulse; its own proxy with one figure would only estimate its own bias",
    "pwc_us_companies_adopting_agents": "'in some form': the broadest definition (79%), a "
    "one-figure proxy that would only estimate its own bias",
    "langchain_orgs_agents_in_production": "self-selected developer sample; a one-figure "
    "proxy (with G2's close figure, a two-figure proxy at one date) informs only its bias",
    "g2_companies_agents_in_production": "survey date within 2025 not stated",
    "uber_engineers_claude_code_adoption": "one firm's engineers (within-firm diffusion), with "
    "conflicting figures for the same months",
}
"""Series of the source file not in the dataset, and why (nothing is dropped silently)."""
