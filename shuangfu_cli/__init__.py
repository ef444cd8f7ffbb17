"""shuangfu: check and add up the quarterly 双扶 returns of Tongnan District's towns."""

__version__ = "0.1.0"
