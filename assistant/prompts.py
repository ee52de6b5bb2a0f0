"""Prompt templates, kept as package data files in ``assistant/prompts/``."""

from __future__ import annotations

from functools import cache
from importlib import resources

from langchain_core.prompts import ChatPromptTemplate, PromptTemplate


@cache
def prompt_text(name: str) -> str:
    return resources.files("assistant").joinpath("prompts", f"{name}.txt").read_text("utf-8")


def answer_prompt() -> ChatPromptTemplate:
    return ChatPromptTemplate.from_messages(
        [("system", prompt_text("system")), ("human", prompt_text("answer"))]
    )


def rewrite_prompt() -> PromptTemplate:
    return PromptTemplate.from_template(prompt_text("rewrite"))
