"""Answer generators: extractive (default, no model), local llama.cpp, OpenAI-compatible, Ollama."""
